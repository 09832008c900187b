// name: find_candidates
// purpose: Firms in the via countries, registered on or after the cut-off, that received shipments from supplier countries and sent shipments to buyer countries: only these leave the server.
// parameters: $via, $suppliers, $buyers, $registered_after
// mode: read
MATCH (c:Company)
WHERE c.country IN $via AND c.registered_on >= $registered_after
  AND EXISTS { MATCH (c)<-[:SHIPPED_TO]-(s:Shipment) WHERE s.exporter_country IN $suppliers }
  AND EXISTS { MATCH (c)-[:EXPORTED]->(s:Shipment) WHERE s.importer_country IN $buyers }
RETURN c.id AS id
