// name: read_same_address
// purpose: Companies registered since a date at the address of a company of a batch registered since then: the same address_key (graphkit.resolve.names.address_keys), those companies included.
// parameters: $ids, $since
// mode: read
UNWIND $ids AS id
MATCH (c:Company {id: id})
WHERE c.registered_on >= $since AND c.address_key IS NOT NULL
MATCH (other:Company {address_key: c.address_key})
WHERE other.registered_on >= $since
RETURN DISTINCT other.id AS id
