// name: load_persons
// purpose: Create or update a batch of persons; every person is also an Entity.
// parameters: $rows (maps of the Person properties declared in graphkit/model.py)
// mode: write
// MERGE (n:Entity:Person {id: row.id}) would be simpler, but ArcadeDB (the test server)
// uses no index for a pattern with two labels; this form uses the Entity index on both servers.
UNWIND $rows AS row
OPTIONAL MATCH (existing:Entity {id: row.id})
FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END |
  CREATE (:Entity:Person {id: row.id}))
WITH row
MATCH (n:Person {id: row.id})
SET n += row
