// name: count_nodes
// purpose: Nodes per label, for load reports.
// parameters:
// mode: read
MATCH (n)
UNWIND labels(n) AS kind
RETURN kind, count(*) AS n
