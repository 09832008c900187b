// name: load_companies
// purpose: Create or update a batch of companies; every company is also an Entity (owners may be persons or companies).
// parameters: $rows (maps of the Company properties declared in graphkit/model.py)
// mode: write
// MERGE (n:Entity:Company {id: row.id}) would be simpler, but ArcadeDB (the test server)
// uses no index for a pattern with two labels; this form uses the Entity index on both servers.
UNWIND $rows AS row
OPTIONAL MATCH (existing:Entity {id: row.id})
FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END |
  CREATE (:Entity:Company {id: row.id}))
WITH row
MATCH (n:Company {id: row.id})
SET n += row
