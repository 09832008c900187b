// name: load_companies
// purpose: Create or update a batch of companies; every company is also an Entity (owners may be persons or companies).
// parameters: $rows (maps of the Company properties declared in graphkit/model.py)
// mode: write
UNWIND $rows AS row
MERGE (n:Entity:Company {id: row.id})
SET n += row
