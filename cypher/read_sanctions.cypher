// name: read_sanctions
// purpose: Every sanctions entry (the list is small).
// parameters:
// mode: read
MATCH (s:SanctionEntry)
RETURN properties(s) AS row
