// name: count_relationships
// purpose: Relationships per type, for load reports.
// parameters:
// mode: read
MATCH ()-[r]->()
RETURN type(r) AS kind, count(*) AS n
