// name: clear_findings
// purpose: Remove the findings of the previous run, so that write_findings replaces them cleanly.
// parameters:
// mode: write
MATCH (f:Finding)
DETACH DELETE f
