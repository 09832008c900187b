// name: read_holdings
// purpose: The holdings in a batch of companies, one level up the ownership chains, ended ones too.
// parameters: $ids
// mode: read
UNWIND $ids AS id
MATCH (owned:Company {id: id})<-[r:OWNS]-(owner:Entity)
RETURN owner.id AS owner_id, owned.id AS owned_id, r.share AS share,
       r.share_range AS share_range, r.since AS since, r.until AS until, r.line AS line,
       r.file AS file
