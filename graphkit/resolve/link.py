"""Link the parties of each shipment to registry firms.

A party that carries a registry id is linked by that id. Otherwise its name and country are
compared with the registry's: an exact match (ignoring case and spacing) links it when exactly
one firm in that country bears the name; two firms with the same name leave it unlinked
rather than guessed.
"""

from __future__ import annotations

import pandas as pd

BY_ID = "id"
BY_EXACT_NAME = "exact name"
SIDES = ("exporter", "importer")


def name_key(names: pd.Series) -> pd.Series:
    """The form of a name that exact matching compares: case and spacing do not count."""
    return names.astype("string").str.casefold().str.split().str.join(" ")


def _registry_index(companies: pd.DataFrame) -> pd.Series:
    """(country|name key) -> company id, for the names that only one firm in a country bears."""
    keys = companies["country"] + "|" + name_key(companies["name"])
    unique = ~keys.duplicated(keep=False)
    return pd.Series(companies["id"].to_numpy()[unique.to_numpy()], index=keys[unique].to_numpy())


def link_parties(companies: pd.DataFrame, shipments: pd.DataFrame) -> pd.DataFrame:
    """Add ``<side>_key`` (linked company id) and ``<side>_link`` (the rule) for both sides."""
    known_ids = pd.Index(companies["id"])
    by_name = _registry_index(companies)
    linked = shipments.copy()
    for side in SIDES:
        given = linked[f"{side}_id"]
        key = given.where(given.isin(known_ids))
        rule = pd.Series(pd.NA, index=linked.index, dtype="string").mask(key.notna(), BY_ID)
        unlinked = key.isna() & linked[f"{side}_name"].notna()
        lookup = (
            linked.loc[unlinked, f"{side}_country"]
            + "|"
            + name_key(linked.loc[unlinked, f"{side}_name"])
        )
        found = lookup.map(by_name)
        key = key.fillna(found)
        rule = rule.mask(unlinked & found.reindex(linked.index).notna(), BY_EXACT_NAME)
        linked[f"{side}_key"] = key.astype("string")
        linked[f"{side}_link"] = rule
    return linked
