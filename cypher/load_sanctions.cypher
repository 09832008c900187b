// name: load_sanctions
// purpose: Create or update a batch of sanctions entries, linked to the entity they list when it is in the graph.
// parameters: $rows (maps with key, entity_id and the SanctionEntry properties)
// mode: write
UNWIND $rows AS row
MERGE (s:SanctionEntry {key: row.key})
SET s += row
WITH s, row
MATCH (e:Entity {id: row.entity_id})
MERGE (s)-[:LISTS]->(e)
