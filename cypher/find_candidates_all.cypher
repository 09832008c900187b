// name: find_candidates_all
// purpose: For --all: firms outside the supplier and buyer countries that received shipments from supplier countries or sent shipments to buyer countries.
// parameters: $suppliers, $buyers, $endpoints
// mode: read
MATCH (c:Company)
WHERE NOT c.country IN $endpoints
  AND (EXISTS { MATCH (c)<-[:SHIPPED_TO]-(s:Shipment) WHERE s.exporter_country IN $suppliers }
       OR EXISTS { MATCH (c)-[:EXPORTED]->(s:Shipment) WHERE s.importer_country IN $buyers })
RETURN c.id AS id
