"""Findings as a readable table, as JSON, or as CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Callable

import orjson

from graphkit.analysis.explain import Explanation
from graphkit.analysis.intermediaries import CRITERIA, Finding

CSV_COLUMNS = [
    "id", "name", "country", "registration_number", "registered_on", "russian_share",
    "score", "flagged", "failed", "red_flag_score", "red_flags", "owners", "suppliers",
    "buyers", "hs_codes", "first_inbound", "last_outbound", "reasons",
]  # fmt: skip


def to_json(findings: list[Finding]) -> str:
    """The findings as indented JSON, UTF-8 text as it is. orjson writes the same text as
    ``json.dumps(..., ensure_ascii=False, indent=2)`` twenty times faster (40 MB at a million
    firms), and writes null where a measure is not a number: NaN is not JSON."""
    options = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | orjson.OPT_SERIALIZE_NUMPY
    return orjson.dumps([f.to_dict() for f in findings], option=options).decode()


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
                **_red_flag_cells(finding),
            }
        )
    return out.getvalue()


def _red_flag_cells(finding: Finding) -> dict[str, object]:
    """The red flags' score, and 'pass_through 25.0 | speed 4.2' for those that fired."""
    if finding.red_flags is None:
        return {"red_flag_score": "", "red_flags": ""}
    scored = finding.red_flags.scored.items()
    return {
        "red_flag_score": round(finding.red_flags.score, 2),
        "red_flags": " | ".join(f"{name} {points:.1f}" for name, points in scored),
    }


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


def to_ftm(findings: list[Finding]) -> str:
    """FollowTheMoney entities, one JSON object per line (see ``graphkit.report.ftm``)."""
    from graphkit.report.ftm import findings_ftm  # the FtM model takes a second to load

    return findings_ftm(findings)


RENDERERS: dict[str, Callable[[list[Finding]], str]] = {
    "table": to_table,
    "json": to_json,
    "csv": to_csv,
    "ftm": to_ftm,
}


def explanation_text(explanation: Explanation) -> str:
    """The criteria's reasons, then each red flag with its part of the score."""
    red_flags = explanation.red_flags
    found = red_flags.indicators
    lines = [f"{found.firm_name}  [{found.firm_id}]", "", "Criteria:"]
    finding = explanation.finding
    if finding is None:
        lines.append("  - Not assessed: it trades with no supplier or buyer country.")
    else:
        lines.append(f"  {'FLAGGED' if finding.flagged else 'fails ' + ', '.join(finding.failed)}")
        lines += [_wrap(reason) for reason in finding.reasons[: len(CRITERIA)]]
    lines += ["", f"Red flags: {red_flags.score:.1f} points"]
    values = found.values(red_flags.weights)
    for name, points in red_flags.contributions.items():
        weight = red_flags.weights.indicators[name]
        lines.append(f"  {name}: {weight:g} x {values[name]:.2f} = {points:.1f}")
    if finding is not None:
        met, most = sum(finding.criteria.values()), sum(red_flags.weights.indicators.values())
        lines.append(
            f"  ranking score: {finding.score:.1f} = {met} criteria met × 30 + 10 × "
            f"{red_flags.score:.1f} / {most:g} red-flag points"
        )
    lines += ["", "Why:"] + ([_wrap(s) for s in red_flags.reasons()] or ["  -"])
    return "\n".join(lines) + "\n"


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=100, initial_indent="  - ", subsequent_indent="    ")
