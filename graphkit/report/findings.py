"""Findings as a readable table, as JSON, or as CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Callable

from graphkit.analysis.explain import Explanation
from graphkit.analysis.intermediaries import Finding

CSV_COLUMNS = [
    "id", "name", "country", "registration_number", "registered_on", "russian_share",
    "score", "flagged", "failed", "owners", "suppliers", "buyers", "hs_codes",
    "first_inbound", "last_outbound", "reasons",
]  # fmt: skip


def to_json(findings: list[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2) + "\n"


def to_csv(findings: list[Finding]) -> str:
    """One row per finding; lists are joined with ' | ' so a spreadsheet shows them in one cell."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for finding in findings:
        data = finding.to_dict()
        writer.writerow(
            {
                **{k: data[k] for k in CSV_COLUMNS if k in data and not isinstance(data[k], list)},
                "flagged": finding.flagged,
                "failed": " | ".join(finding.failed),
                "owners": " | ".join(
                    f"{o['name']} ({o['id']}) {o['share']}" for o in finding.owners
                ),
                "suppliers": " | ".join(_party(p) for p in finding.suppliers),
                "buyers": " | ".join(_party(p) for p in finding.buyers),
                "hs_codes": " | ".join(finding.hs_codes),
                "reasons": " | ".join(finding.reasons),
            }
        )
    return out.getvalue()


def _owner(owner: dict[str, object]) -> str:
    return f"{owner['name']} ({owner['id']}) {owner['share']}%"


def _party(party: dict[str, object]) -> str:
    return f"{party['name']} ({party['id'] or 'not in registry'}, {party['country']})"


def to_table(findings: list[Finding]) -> str:
    """A block per finding for reading in a terminal."""
    if not findings:
        return "No firm meets the criteria.\n"
    blocks = []
    for rank, finding in enumerate(findings, start=1):
        status = "FLAGGED" if finding.flagged else "fails " + ", ".join(finding.failed)
        lines = [
            f"{rank}. {finding.name}  [{finding.id}, {finding.country}]  score {finding.score:.1f}"
            f"  {status}",
            f"   registration {finding.registration_number or '-'}"
            f"  registered {finding.registered_on or 'unknown'}"
            f"  Russian share {finding.russian_share:.1f}%",
            f"   trade {finding.first_inbound or '-'} .. {finding.last_outbound or '-'}"
            f"  HS {', '.join(finding.hs_codes)}",
        ]
        lines += [
            textwrap.fill(r, width=100, initial_indent="   - ", subsequent_indent="     ")
            for r in finding.reasons
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


RENDERERS: dict[str, Callable[[list[Finding]], str]] = {
    "table": to_table,
    "json": to_json,
    "csv": to_csv,
}


def explanation_text(explanation: Explanation) -> str:
    """The criteria's reasons, then each red flag with its part of the score."""
    found = explanation.indicators
    lines = [f"{found.firm_name}  [{found.firm_id}]", "", "Criteria:"]
    if explanation.finding is None:
        lines.append("  - Not assessed: it trades with no supplier or buyer country.")
    else:
        status = (
            "FLAGGED"
            if explanation.finding.flagged
            else "fails " + ", ".join(explanation.finding.failed)
        )
        lines.append(f"  {status}")
        lines += [_wrap(reason) for reason in explanation.finding.reasons]
    lines += ["", f"Red flags: {explanation.score:.1f} points"]
    values = found.values(explanation.weights)
    for name, points in explanation.contributions.items():
        weight = explanation.weights.indicators[name]
        lines.append(f"  {name}: {weight:g} x {values[name]:.2f} = {points:.1f}")
    lines += ["", "Why:"] + [_wrap(s) for s in found.reasons(explanation.weights)] or ["  -"]
    return "\n".join(lines) + "\n"


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=100, initial_indent="  - ", subsequent_indent="    ")
