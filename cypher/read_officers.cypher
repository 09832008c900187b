// name: read_officers
// purpose: The directors and other officers of a batch of companies.
// parameters: $ids
// mode: read
UNWIND $ids AS id
MATCH (company:Company {id: id})<-[r:DIRECTS]-(officer:Entity)
RETURN officer.id AS person_id, company.id AS company_id, r.role AS role, r.since AS since,
       r.until AS until, r.line AS line, r.file AS file
