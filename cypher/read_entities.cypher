// name: read_entities
// purpose: Persons and companies by id, with their labels.
// parameters: $ids
// mode: read
UNWIND $ids AS id
MATCH (e:Entity {id: id})
RETURN labels(e) AS labels, properties(e) AS row
