// name: write_findings
// purpose: One Finding node per firm of this run, linked to the firm: (:Finding)-[:FLAGS]->(:Company).
// parameters: $findings (maps with id, name, score, red_flag_score, red_flags, russian_share, reasons, failed, flagged), $run_on
// mode: write
UNWIND $findings AS f
MATCH (c:Company {id: f.id})
CREATE (n:Finding {
  firm_id: f.id, firm_name: f.name, flagged: f.flagged, score: f.score,
  red_flag_score: f.red_flag_score, red_flags: f.red_flags,
  russian_share: f.russian_share, reasons: f.reasons, failed: f.failed, run_on: $run_on
})-[:FLAGS]->(c)
RETURN count(n) AS written
