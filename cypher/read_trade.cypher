// name: read_trade
// purpose: The declarations of a batch of firms that came from supplier countries or went to buyer countries.
// parameters: $ids, $suppliers, $buyers
// mode: read
UNWIND $ids AS id
MATCH (c:Company {id: id})
CALL {
  WITH c
  MATCH (c)<-[:SHIPPED_TO]-(s:Shipment) WHERE s.exporter_country IN $suppliers
  RETURN s
  UNION
  WITH c
  MATCH (c)-[:EXPORTED]->(s:Shipment) WHERE s.importer_country IN $buyers
  RETURN s
}
RETURN DISTINCT properties(s) AS row
