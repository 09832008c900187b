// name: load_directs
// purpose: Create or update a batch of officer roles: (person or company)-[:DIRECTS {role, since, until}]->(company).
// parameters: $rows (maps with key, start, end, props)
// mode: write
UNWIND $rows AS row
MATCH (officer:Entity {id: row.start})
MATCH (company:Company {id: row.end})
MERGE (officer)-[r:DIRECTS {key: row.key}]->(company)
SET r += row.props
