// name: link_shipments
// purpose: Replace the links of a batch of declarations: exporter -[:EXPORTED]-> shipment -[:SHIPPED_TO]-> importer.
// parameters: $rows (maps with id, exporter_key, importer_key; keys may be null)
// mode: write
UNWIND $rows AS row
MATCH (s:Shipment {id: row.id})
OPTIONAL MATCH (s)-[old:EXPORTED|SHIPPED_TO]-()
DELETE old
WITH DISTINCT s, row
CALL {
  WITH s, row
  MATCH (e:Company {id: row.exporter_key})
  MERGE (e)-[:EXPORTED]->(s)
  RETURN count(*) AS exported
}
CALL {
  WITH s, row
  MATCH (i:Company {id: row.importer_key})
  MERGE (s)-[:SHIPPED_TO]->(i)
  RETURN count(*) AS imported
}
RETURN count(s) AS linked
