// name: load_owns
// purpose: Create or update a batch of holdings: (owner person or company)-[:OWNS {share, since, until}]->(company).
// parameters: $rows (maps with key, start, end, props)
// mode: write
UNWIND $rows AS row
MATCH (owner:Entity {id: row.start})
MATCH (owned:Company {id: row.end})
MERGE (owner)-[r:OWNS {key: row.key}]->(owned)
SET r += row.props
