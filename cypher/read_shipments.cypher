// name: read_shipments
// purpose: Every declaration a batch of firms exported or imported, whatever the countries.
// parameters: $ids
// mode: read
UNWIND $ids AS id
MATCH (:Company {id: id})-[:EXPORTED|SHIPPED_TO]-(s:Shipment)
RETURN DISTINCT properties(s) AS row
