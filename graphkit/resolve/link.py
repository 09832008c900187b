"""Link the parties of each shipment to registry firms, and say how each link was made.

Rules, strongest first; the first that decides wins:

1. ``id``: the party carries an id of a registry firm.
2. ``identifier``: the party's id or name holds a valid BIN, INN or OGRN that is the
   registration number of exactly one registry firm. A valid identifier beats any name.
3. ``manual``: the user's decisions file says which firm a name is (or that it is none).
4. ``exact name`` / ``normalised name``: the name, or its spelling-independent key (see
   ``graphkit.resolve.names``), is borne by exactly one firm of the party's country with a
   compatible legal form.
5. ``fuzzy``: one firm of the country has a name with the same words but for one typo (one
   letter changed, added, dropped or two swapped in a word of six letters or more; the first
   letter may be dropped but not replaced) and the same numbers.
   A name with a word more or less (Алтын Трейд / Алтын Трейд Групп), a different number
   (Da Group 22 / 23), or two such firms, stays unlinked: a missed link costs less than an
   innocent firm flagged.

Each distinct party (name, country, id) is resolved once, however many shipments carry it.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz.distance import OSA
from rapidfuzz.fuzz import token_sort_ratio

from graphkit.columns import (
    arrow,
    first_occurrences,
    from_arrow,
    group_rows,
    is_in,
    map_words,
    sorting_order,
)
from graphkit.errors import InputError
from graphkit.ingest.read import read_csv
from graphkit.ingest.values import parse_country
from graphkit.model import DECISIONS
from graphkit.resolve.identifiers import find_identifiers, registration_digits
from graphkit.resolve.names import name_keys

BY_ID = "id"
BY_IDENTIFIER = "identifier"
BY_MANUAL = "manual"
BY_EXACT_NAME = "exact name"
BY_NORMALISED_NAME = "normalised name"
BY_FUZZY = "fuzzy"
AMBIGUOUS = "ambiguous"
SIDES = ("exporter", "importer")
MIN_TYPO_WORD = 6  # letters a word needs before a typo in it is forgiven


def _casefolded(names: pd.Series) -> pd.Series:
    return map_words(names, lambda word: " ".join(word.casefold().split()))


@dataclass(frozen=True)
class Decisions:
    """The user's corrections: name -> firm, or name -> not this firm / no firm."""

    same: dict[tuple[str, str], str]  # (country, casefolded name) -> company id
    different: dict[tuple[str, str], set[str | None]]  # None: no firm at all

    @classmethod
    def none(cls) -> Decisions:
        return cls({}, {})

    @classmethod
    def read(cls, path: Path, company_ids: pd.Index) -> Decisions:
        """Read a decisions file: name, country, decision ('same'/'different'), company_id."""
        frame = read_csv(path, DECISIONS).frame
        countries = parse_country(frame["country"]).values
        same: dict[tuple[str, str], str] = {}
        different: dict[tuple[str, str], set[str | None]] = defaultdict(set)
        for row, name, country in zip(
            frame.itertuples(), _casefolded(frame["name"].fillna("")), countries, strict=True
        ):
            verdict, company = _check_decision(row, country, company_ids, path)
            if verdict == "same":
                same[(country, name)] = company  # type: ignore[assignment]
            else:
                different[(country, name)].add(company)
        return cls(same, dict(different))


DECISION_EXAMPLE = "e.g. 'ALTYN TREID,KZ,same,KZ-001' or 'ALTYN TRADE GROUP,KZ,different,KZ-001'"


def _check_decision(
    row: Any, country: object, company_ids: pd.Index, path: Path
) -> tuple[str, str | None]:
    verdict = str(row.decision).strip().lower()
    company = None if pd.isna(row.company_id) else str(row.company_id)

    def wrong(problem: str, column: str, fix: str) -> InputError:
        return InputError(problem, path=path, line=int(row.line), column=column, fix=fix)

    if pd.isna(country):
        raise wrong(f"country '{row.country}' cannot be read", "country", "Use an ISO code")
    if verdict not in ("same", "different"):
        raise wrong(
            f"decision '{row.decision}' is neither 'same' nor 'different'",
            "decision",
            f"Write {DECISION_EXAMPLE}",
        )
    if company is not None and company not in company_ids:
        raise wrong(
            f"company_id '{company}' is not in companies.csv",
            "company_id",
            "Use an id from companies.csv",
        )
    if verdict == "same" and company is None:
        raise wrong("'same' needs a company_id", "company_id", "Name the firm the party is")
    return verdict, company


def link_parties(
    companies: pd.DataFrame, shipments: pd.DataFrame, decisions: Decisions | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Shipments with ``<side>_key`` and ``<side>_link`` added, and the match report.

    The match report has one row per distinct party: its name, country and given id, how many
    shipments carry it, the firm it was linked to (if any), the rule and the fuzzy score.
    """
    decisions = decisions or Decisions.none()
    with ThreadPoolExecutor(max_workers=1) as pool:  # the two share the cores: both run
        resolver = pool.submit(_Resolver, companies, decisions)  # mostly outside the GIL
        parties, party_of = _distinct_parties(shipments)
    resolved = resolver.result().resolve(parties)
    company = arrow(resolved["company_id"])
    rules = pc.dictionary_encode(arrow(resolved["rule"].where(resolved["company_id"].notna())))
    rule_codes = np.asarray(rules.indices.fill_null(-1), dtype=np.int32)
    columns = {}
    for side in SIDES:  # Arrow takes ten million values without making Python strings
        columns[f"{side}_key"] = from_arrow(company.take(party_of[side]), shipments.index)
        # a handful of rules: their codes are taken, and spelled out, four times faster
        codes = rule_codes[party_of[side]]
        rule = pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0), rules.dictionary)
        columns[f"{side}_link"] = from_arrow(rule.cast(pa.string()), shipments.index)
    return shipments.assign(**columns), resolved


def _distinct_parties(shipments: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The distinct (name, country, given id) parties of the shipments, and each side's party.

    Returns the parties, sorted, with how many shipments carry each and on which sides, and per
    side the row number of each shipment's party.
    """
    count = len(shipments)
    both = {  # both sides as two chunks of one array: no copy of ten million strings
        column: pa.chunked_array([arrow(shipments[f"{side}_{column}"]) for side in SIDES])
        for column in ("name", "country", "id")
    }
    party = group_rows(list(both.values()))  # each party's number, in order of first appearance
    first = np.flatnonzero(first_occurrences(party))  # the first row of each party, in order
    firsts = pd.RangeIndex(len(first))
    parties = pd.DataFrame(
        {
            "name": from_arrow(both["name"].take(first).combine_chunks(), firsts),
            "country": from_arrow(both["country"].take(first).combine_chunks(), firsts),
            "given_id": from_arrow(both["id"].take(first).combine_chunks(), firsts),
            "shipments": np.bincount(party),
        }
    )
    as_exporter = np.bincount(party[:count], minlength=len(parties)) > 0
    as_importer = np.bincount(party[count:], minlength=len(parties)) > 0
    parties["sides"] = np.where(
        as_exporter & as_importer,
        "exporter/importer",
        np.where(as_exporter, "exporter", "importer"),
    )
    order = sorting_order([arrow(parties[c]) for c in ("name", "country", "given_id")])
    position = np.empty(len(parties), dtype=np.int64)
    position[order] = np.arange(len(parties))
    parties = parties.take(order).reset_index(drop=True)
    return parties, {"exporter": position[party[:count]], "importer": position[party[count:]]}


class _Resolver:
    def __init__(self, companies: pd.DataFrame, decisions: Decisions) -> None:
        self.companies = companies
        self.decisions = decisions
        keys = name_keys(companies["name"])
        self.registry = pd.DataFrame(
            {
                "company_id": companies["id"].to_numpy(),
                "country": companies["country"].to_numpy(),
                "casefolded": _casefolded(companies["name"]).to_numpy(),
                "key": keys["key"].to_numpy(),
                "legal_form": keys["legal_form"].to_numpy(),
            }
        )
        numbers = registration_digits(companies["registration_number"])
        unique_numbers = numbers[numbers.str.len() >= 10].drop_duplicates(keep=False)
        self.by_number = dict(  # lists: iterating Arrow columns value by value is slow
            zip(
                unique_numbers.tolist(),
                companies.loc[unique_numbers.index, "id"].tolist(),
                strict=True,
            )
        )
        self._indexes: dict[str, _WordIndex] = {}

    def resolve(self, parties: pd.DataFrame) -> pd.DataFrame:
        result = parties.assign(
            company_id=pd.Series(pd.NA, index=parties.index, dtype="string"),
            rule=pd.Series(pd.NA, index=parties.index, dtype="string"),
            score=pd.Series(float("nan"), index=parties.index),
            candidates=pd.Series(pd.NA, index=parties.index, dtype="string"),
        )
        self._by_id(result)
        named = self._open(result)  # names matter only to parties not linked by their id
        keys = name_keys(result.loc[named, "name"].fillna(""))
        result["key"] = keys["key"].reindex(result.index)
        result["legal_form"] = keys["legal_form"].reindex(result.index)
        result["casefolded"] = _casefolded(result.loc[named, "name"].fillna("")).reindex(
            result.index
        )
        self._by_identifier(result)
        self._by_decision(result)
        self._by_name(result)
        self._by_fuzzy(result)
        result["company_name"] = _looked_up(result["company_id"], self.companies, "name")
        return result.drop(columns=["casefolded", "legal_form"])

    @staticmethod
    def _open(result: pd.DataFrame) -> pd.Series:
        return result["company_id"].isna() & result["rule"].isna()

    def _set(self, result: pd.DataFrame, mask: pd.Series, ids: pd.Series, rule: str) -> None:
        mask = mask & ids.notna()
        result.loc[mask, "company_id"] = ids[mask]
        result.loc[mask, "rule"] = rule

    def _by_id(self, result: pd.DataFrame) -> None:
        known = is_in(result["given_id"], self.registry["company_id"])
        self._set(result, known, result["given_id"], BY_ID)

    def _by_identifier(self, result: pd.DataFrame) -> None:
        open_rows = result[self._open(result)]
        text = open_rows["given_id"].fillna("") + " " + open_rows["name"].fillna("")
        text = text[text.str.contains(r"\d{10}", regex=True)]  # too short for a BIN, INN, OGRN
        ids = pd.Series(pd.NA, index=result.index, dtype="string")
        for index, written in zip(text.index, text.tolist(), strict=True):
            found = {
                self.by_number.get(i.number)
                for i in find_identifiers(written, result.at[index, "country"])
            }
            found.discard(None)
            if len(found) == 1:
                ids[index] = found.pop()
        self._set(result, self._open(result), ids, BY_IDENTIFIER)

    def _by_decision(self, result: pd.DataFrame) -> None:
        if not (self.decisions.same or self.decisions.different):
            return
        pairs = list(zip(result["country"], result["casefolded"], strict=True))
        same = pd.Series(
            [self.decisions.same.get(p) for p in pairs], index=result.index, dtype="string"
        )
        self._set(result, self._open(result), same, BY_MANUAL)
        never = pd.Series(
            [None in self.decisions.different.get(p, ()) for p in pairs], index=result.index
        )
        result.loc[self._open(result) & never, "rule"] = BY_MANUAL

    def _forbidden(self, country: str, casefolded: str) -> set[str | None]:
        return self.decisions.different.get((country, casefolded), set())

    def _by_name(self, result: pd.DataFrame) -> None:
        for column, rule in (("casefolded", BY_EXACT_NAME), ("key", BY_NORMALISED_NAME)):
            open_rows = result.loc[
                self._open(result) & result[column].fillna("").ne(""),
                list(dict.fromkeys(["country", column, "legal_form", "casefolded"])),
            ]  # only the columns the merge needs: it copies every column it is given
            candidates = open_rows.reset_index().merge(
                self.registry[["company_id", "country", column, "legal_form"]].rename(
                    columns={"company_id": "candidate", "legal_form": "candidate_form"}
                ),
                on=["country", column],
            )
            compatible = (
                candidates["legal_form"].isna()
                | candidates["candidate_form"].isna()
                | (candidates["legal_form"] == candidates["candidate_form"])
            )
            candidates = candidates[compatible]
            if self.decisions.different:
                allowed = [
                    c not in self._forbidden(country, name)
                    for c, country, name in zip(
                        candidates["candidate"],
                        candidates["country"],
                        candidates["casefolded"],
                        strict=True,
                    )
                ]
                candidates = candidates[pd.Series(allowed, index=candidates.index, dtype=bool)]
            found = candidates.groupby("index")["candidate"]
            count, first = found.size(), found.first()  # size and first, not lists: millions
            unique = first[count == 1]
            self._set(
                result,
                result.index.isin(unique.index),
                unique.reindex(result.index).astype("string"),
                rule,
            )
            several = candidates[candidates["index"].isin(count.index[count > 1])]
            listed = several.groupby("index")["candidate"].agg(lambda ids: ";".join(sorted(ids)))
            result.loc[listed.index, "rule"] = AMBIGUOUS
            result.loc[listed.index, "candidates"] = listed

    def _index(self, country: str) -> _WordIndex:
        if country not in self._indexes:
            in_country = self.registry.index[self.registry["country"] == country]
            self._indexes[country] = _WordIndex(self.registry.loc[in_country, "key"])
        return self._indexes[country]

    def _by_fuzzy(self, result: pd.DataFrame) -> None:
        open_rows = result.index[self._open(result) & result["key"].fillna("").ne("")]
        if open_rows.empty:
            return
        keys = self.registry["key"].astype(str).tolist()  # lists: read once per candidate
        ids = self.registry["company_id"].tolist()
        forms = self.registry["legal_form"].tolist()
        for index in open_rows:
            country, key, form, casefolded = result.loc[
                index, ["country", "key", "legal_form", "casefolded"]
            ]
            forbidden = self._forbidden(country, casefolded)
            passing = sorted(
                (round(token_sort_ratio(key, keys[row]), 1), ids[row])
                for row in self._index(country).candidates(str(key).split())
                if ids[row] not in forbidden
                and _forms_compatible(form, forms[row])
                and _same_words_but_spelling(str(key).split(), keys[row].split())
            )
            if len(passing) == 1:
                [(score, company)] = passing
                result.loc[index, ["company_id", "rule", "score"]] = [company, BY_FUZZY, score]
            elif len(passing) > 1:
                result.loc[index, "rule"] = AMBIGUOUS
                result.loc[index, "candidates"] = ";".join(sorted(c for _, c in passing))


class _WordIndex:
    """The registry names of one country, indexed so that a fuzzy match never scans them all.

    A candidate must bear, for every word of the party's name, a word within one edit of it
    (a letter changed, added, dropped, or two swapped): the candidates are the intersection of
    the firms bearing such words. Words within one edit are found through their one-letter
    deletions (the SymSpell method: two words one edit apart share a deletion), so the cost
    depends on the words, not on the number of firms.
    """

    def __init__(self, keys: pd.Series) -> None:
        self.postings: dict[str, set[int]] = defaultdict(set)
        for row, key in zip(keys.index.tolist(), keys.tolist(), strict=True):  # lists: fast
            for word in str(key).split():
                self.postings[word].add(row)
        self.by_deletion: dict[str, set[str]] = defaultdict(set)
        for word in self.postings:
            for variant in _deletions(word):
                self.by_deletion[variant].add(word)

    def similar(self, word: str) -> set[str]:
        near = {w for v in _deletions(word) for w in self.by_deletion.get(v, ())}
        return {w for w in near if _spelled_alike(word, w)}

    def candidates(self, words: list[str]) -> set[int]:
        rows: set[int] | None = None
        for word in sorted(words, key=len, reverse=True):  # long words are the rarest
            bearing = {r for w in self.similar(word) for r in self.postings[w]}
            rows = bearing if rows is None else rows & bearing
            if not rows:
                return set()
        return rows or set()


def _same_words_but_spelling(words: list[str], other: list[str]) -> bool:
    """As many words, one of them at most misspelled: no word more, none less."""
    if len(words) != len(other) or len(set(words) ^ set(other)) > 2:
        return False
    remaining = list(other)
    for word in sorted(words, key=lambda w: w not in remaining):  # exact words pair first
        match = next((o for o in remaining if _spelled_alike(word, o)), None)
        if match is None:
            return False
        remaining.remove(match)
    return True


def _deletions(word: str) -> set[str]:
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def _spelled_alike(word: str, other: str) -> bool:
    """Equal, or one edit apart when either spelling has six letters or more and the first
    letter is not replaced.

    Short words and first letters are where different Kazakh names differ by one letter
    (Батыр/Батыс, Кеме/Семей): a typo there is left unlinked rather than risk a wrong firm.
    A first letter dropped (тырау for Атырау) is a typo. Numbers must be equal.
    """
    if word == other:
        return True
    if word.isdigit() or other.isdigit() or max(len(word), len(other)) < MIN_TYPO_WORD:
        return False
    begins_alike = word[0] == other[0] or word[1:] == other or other[1:] == word
    return begins_alike and OSA.distance(word, other) <= 1


def _looked_up(ids: pd.Series, companies: pd.DataFrame, column: str) -> pd.Series:
    """``column`` of the company each id names, by Arrow (pandas maps a million slowly)."""
    row = pc.index_in(arrow(ids), value_set=arrow(companies["id"]))
    return from_arrow(arrow(companies[column]).take(row), ids.index)


def _forms_compatible(a: object, b: object) -> bool:
    return pd.isna(a) or pd.isna(b) or a == b


def links_summary(report: pd.DataFrame) -> dict[str, int]:
    """Shipment parties per rule, 'unlinked' for the rest."""
    rule = report["rule"].where(report["company_id"].notna(), "unlinked")
    return {str(k): int(v) for k, v in report.groupby(rule)["shipments"].sum().items()}


MATCH_REPORT_COLUMNS = [
    "name", "country", "given_id", "sides", "shipments", "rule", "company_id", "company_name",
    "score", "candidates", "key",
]  # fmt: skip


def match_report_csv(report: pd.DataFrame) -> str:
    """The match report as CSV: unlinked and ambiguous parties first, for review."""
    ordered = report.assign(_linked=report["company_id"].notna()).sort_values(
        ["_linked", "shipments"], ascending=[True, False], kind="stable"
    )
    return ordered[MATCH_REPORT_COLUMNS].to_csv(index=False)
