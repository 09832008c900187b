// name: load_persons
// purpose: Create or update a batch of persons; every person is also an Entity.
// parameters: $rows (maps of the Person properties declared in graphkit/model.py)
// mode: write
UNWIND $rows AS row
MERGE (n:Entity:Person {id: row.id})
SET n += row
