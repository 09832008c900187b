// name: schema
// purpose: Unique ids for every kind of node, and the indexes the candidate and same-address queries filter on.
// parameters:
// mode: schema
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT company_id IF NOT EXISTS FOR (n:Company) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT shipment_id IF NOT EXISTS FOR (n:Shipment) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT sanction_key IF NOT EXISTS FOR (n:SanctionEntry) REQUIRE n.key IS UNIQUE;
CREATE INDEX company_country IF NOT EXISTS FOR (n:Company) ON (n.country);
CREATE INDEX company_registered_on IF NOT EXISTS FOR (n:Company) ON (n.registered_on);
CREATE INDEX company_address_key IF NOT EXISTS FOR (n:Company) ON (n.address_key);
CREATE INDEX shipment_exporter_key IF NOT EXISTS FOR (n:Shipment) ON (n.exporter_key);
CREATE INDEX shipment_importer_key IF NOT EXISTS FOR (n:Shipment) ON (n.importer_key);
