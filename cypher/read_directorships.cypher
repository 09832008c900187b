// name: read_directorships
// purpose: Every company a batch of officers (persons or companies) directs, in the columns of read_officers.
// parameters: $ids
// mode: read
UNWIND $ids AS id
MATCH (officer:Entity {id: id})-[r:DIRECTS]->(company:Company)
RETURN officer.id AS person_id, company.id AS company_id, r.role AS role, r.since AS since,
       r.until AS until, r.line AS line, r.file AS file
