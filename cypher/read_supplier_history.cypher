// name: read_supplier_history
// purpose: The declarations of a batch of suppliers to registry firms in buyer countries before a date: their direct trade before the invasion, for supplier_redirection.
// parameters: $ids, $buyers, $before
// mode: read
UNWIND $ids AS id
MATCH (:Company {id: id})-[:EXPORTED]->(s:Shipment)
WHERE s.date < $before AND s.importer_country IN $buyers AND s.importer_key IS NOT NULL
RETURN DISTINCT properties(s) AS row
