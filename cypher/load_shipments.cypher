// name: load_shipments
// purpose: Create or update a batch of customs declarations, one Shipment node each.
// parameters: $rows (maps of the Shipment properties declared in graphkit/model.py)
// mode: write
UNWIND $rows AS row
MERGE (n:Shipment {id: row.id})
SET n += row
