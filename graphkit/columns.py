"""Column operations that pandas does slowly on the Arrow-backed text columns of big tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    import polars as pl


def is_in(column: pd.Series, values: pd.Series | pd.Index | Iterable[str]) -> pd.Series:
    """``column.isin(values)`` for text, computed by Arrow; a missing value is never in.

    pandas turns a large ``values`` into Python objects first: one million ids looked up in ten
    million took 77 seconds that way, and 5 with Arrow.
    """
    array = arrow(column)
    if not isinstance(values, pd.Series | pd.Index):
        values = pd.Series(list(values), dtype="string")
    value_set = arrow(pd.Series(values)).cast(array.type)
    found = pc.is_in(array, value_set=value_set, skip_nulls=True)
    return pd.Series(np.asarray(found.fill_null(False)), index=column.index, dtype=bool)


def rows(frame: pd.DataFrame, *columns: str) -> Iterator[tuple[Any, ...]]:
    """The values of ``columns``, row by row: each column is turned into a list first, as
    iterating an Arrow-backed column (or itertuples) reads its cells one by one, slowly."""
    return zip(*(frame[column].tolist() for column in columns), strict=True)


def first_occurrences(codes: np.ndarray) -> np.ndarray:
    """Where each code appears first, for codes numbered in order of first appearance (as
    ``pd.factorize`` and Arrow's dictionary encoding number them); -1 (missing) never does.

    >>> first_occurrences(np.array([0, 1, 0, -1, 2, 1])).tolist()
    [True, True, False, False, True, False]
    """
    seen = np.maximum.accumulate(np.concatenate([[-1], codes[:-1]])) if len(codes) else codes
    return codes > seen


def duplicated(column: pd.Series) -> pd.Series:
    """``column.duplicated()`` for text: True for a value seen before; a missing value is never
    a duplicate.

    Values are compared by their hashes first (see ``row_hashes``): only those whose hash
    repeats, the duplicates and any two values that merely share a hash, are compared exactly.
    """
    array = arrow(column)
    hashes = row_hashes(_polars_frame([array]), seed=0)
    valid = np.asarray(array.is_valid())
    ordered = np.sort(hashes[valid])
    repeated = np.flatnonzero(valid & np.isin(hashes, ordered[1:][ordered[1:] == ordered[:-1]]))
    codes = np.asarray(pc.dictionary_encode(array.take(repeated)).indices, dtype=np.int64)
    result = np.zeros(len(array), dtype=bool)
    result[repeated] = ~first_occurrences(codes)
    return pd.Series(result, index=column.index)


def group_rows(columns: Sequence[pa.Array | pa.ChunkedArray]) -> np.ndarray:
    """A number for each distinct row of the text ``columns`` (missing values included), in
    order of first appearance.

    Rows are grouped by a 64-bit hash (see ``row_hashes``). A second, independent hash must
    then agree within every group; should two distinct rows ever share the first hash, the
    rows are grouped exactly, value by value, by Arrow's dictionary encoding (three times
    slower).
    """
    frame = _polars_frame(columns)
    codes = pd.factorize(row_hashes(frame, seed=0))[0]
    check = row_hashes(frame, seed=1)
    first = np.flatnonzero(first_occurrences(codes))
    if np.array_equal(check, check[first][codes]):
        return codes
    return _exact_groups(columns)


def sorting_order(columns: Sequence[pa.Array]) -> np.ndarray:
    """The row numbers in the order of the text ``columns`` (by their UTF-8 bytes, as Arrow
    sorts; missing values last), by polars: a million parties sort in two thirds of Arrow's
    time and a fraction of pandas'."""
    frame = _polars_frame(columns)
    return frame.with_row_index("row").sort(frame.columns, nulls_last=True)["row"].to_numpy()


def row_hashes(frame: pl.DataFrame, seed: int) -> np.ndarray:
    """A 64-bit hash of each row, by polars on every core: ten million strings hash in a
    tenth of a second, where Arrow's and pandas' hash tables take three to four seconds."""
    return frame.hash_rows(seed).to_numpy()


def _polars_frame(columns: Sequence[pa.Array | pa.ChunkedArray]) -> pl.DataFrame:
    import polars  # here, not at the top: 0.2 s that a run from the cache never needs

    return polars.DataFrame([polars.Series(f"c{i}", c) for i, c in enumerate(columns)])


def _exact_groups(columns: Sequence[pa.Array | pa.ChunkedArray]) -> np.ndarray:
    """``group_rows`` by comparing values: each column dictionary-encoded, the codes combined
    into one integer (renumbered first if it could overflow) and grouped by ``pd.factorize``."""
    combined, size = np.zeros(len(columns[0]), dtype=np.int64), 1
    for column in columns:
        encoded = pc.dictionary_encode(column, null_encoding="encode")  # a blank is a value too
        chunks = encoded.chunks if isinstance(encoded, pa.ChunkedArray) else [encoded]
        indices = pa.chunked_array([c.indices for c in chunks], type=pa.int32())
        codes = indices.to_numpy().astype(np.int64)
        distinct = int(codes.max(initial=0)) + 1
        if size * distinct >= 2**62:
            combined = pd.factorize(combined)[0]
            size = int(combined.max(initial=0)) + 1
        combined, size = combined * distinct + codes, size * distinct
    return pd.factorize(combined)[0]


def arrow(column: pd.Series) -> pa.Array:
    """A text column as one Arrow array (no copy when it is Arrow-backed in one piece)."""
    array = pa.array(column.astype("string"))
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def from_arrow(array: pa.Array, index: pd.Index) -> pd.Series:
    """An Arrow text array back as a pandas text column with ``index``."""
    return array.to_pandas(types_mapper=pd.ArrowDtype).set_axis(index).astype("string")


def map_words(column: pd.Series, function: Callable[[str], str]) -> pd.Series:
    """Each word of ``column`` (split at ASCII whitespace) through ``function``, once per
    distinct word.

    Names repeat their words (ТОО, Trade, Group...): a million names hold a few hundred
    thousand distinct words, so a Python function per word costs a fraction of one per name.
    The words are split and put back in place by Arrow; the result has single spaces.
    """
    lists = pc.ascii_split_whitespace(pc.utf8_trim_whitespace(arrow(column)))
    encoded = pc.dictionary_encode(lists.flatten())
    words = [function(word) for word in encoded.dictionary.to_pylist()]
    codes = np.asarray(encoded.indices)
    kept = np.array([word != "" for word in words], dtype=bool)[codes]  # empty words go
    mapped = pa.array(words, type=encoded.dictionary.type).take(pa.array(codes[kept]))
    name_of_word = np.repeat(np.arange(len(lists)), np.diff(np.asarray(lists.offsets)))
    counts = np.bincount(name_of_word[kept], minlength=len(lists))
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]), type=pa.int32())
    rebuilt = pa.ListArray.from_arrays(offsets, mapped, mask=lists.is_null())
    joined = pc.binary_join(rebuilt, pa.scalar(" ", type=encoded.dictionary.type))
    if any(word != word.strip() or "  " in word for word in words):  # rare: spaces to tidy
        joined = pc.utf8_trim_whitespace(pc.replace_substring_regex(joined, " +", " "))
    return from_arrow(joined, column.index)
