"""Name keys: one spelling-independent form for the many ways a firm's name is written.

A Kazakh firm registered as ``Товарищество с ограниченной ответственностью «Алтын Трейд»``
appears on customs declarations as ``TOO "ALTYN TREID"``, ``ALTYN TRADE LLP`` or
``«Алтын Трейд» ЖШС``. All of these get the key ``altin trade`` and the legal-form class ``llp``:

1. case, quotes and punctuation go; Kazakh and Russian Cyrillic is transliterated with one
   table of our own (normality's ISO 9 turns Ж into Z and drops Kazakh letters) and any other
   script's accents are removed with normality;
2. transliteration variants are folded so that GOST, passport and ad-hoc spellings meet
   (kh/h, ts/c, zh/j, yu/iu/ju, y/i, doubled letters);
3. a legal form at the start or the end of the name is taken off and kept as a class
   (ТОО = ЖШС = TOO = LLP = Limited Liability Partnership). rigour's org-type tables do not know
   ЖШС, TOO or ОсОО and remove forms anywhere in a name (Ала-Тоо would lose its Тоо), so the
   table below is ours; it only strips forms at the ends;
4. English business words that Russian and Kazakh names borrow (Трейд, Групп, Электроникс) are
   mapped to the English word, so that a transliteration and a translation meet.

Everything runs on whole columns with pyarrow string kernels, so a million names take seconds.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from normality import ascii_text

from graphkit.columns import arrow, from_arrow, map_words

# Kazakh letters first (to their nearest Russian sound), then Russian, to Latin.
CYRILLIC = {
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "ў": "u", "є": "e", "ї": "i", "ґ": "g",
}  # fmt: skip
TRANSLITERATE = str.maketrans(CYRILLIC)

# Applied in order to transliterated, lower-case Latin text. Both sides of a comparison pass
# through the same folds, so a fold only has to map variants together, not restore a spelling.
# After them, "i" stands for И, Й and the iotation of Я, Ю (ya/ia/ja, yu/iu/ju), and "j" for
# Ж (zh). An ad-hoc "j" for Ж before a vowel ("Janna") reads as iotation (Яна): a known limit,
# preferred to merging Жанна with Анна.
FOLDS: tuple[tuple[str, str], ...] = (
    (r"shch|sch", "sh"),
    (r"kh", "h"),
    (r"tz|ts", "c"),
    (r"ck|q", "k"),
    (r"ph", "f"),
    (r"w", "v"),
    (r"x", "ks"),
    (r"[iyj]+(?=[aeou])", "i"),
    (r"[yj]", "i"),
    (r"ei\b|ei(?=[^aeiou])", "e"),  # Трейд: treid, trejd, treyd
    (r"d?zh", "j"),
    (r"([a-z])\1+", r"\1"),  # doubled letters: Групп -> grup, Ассоль -> asol
)

# Legal forms, written as people write them, grouped by what they are: a translator writes
# ООО «Робин Трейд» as Robin Trade LLC or Robin Trade Limited, so forms of one family are
# compatible; an АО and an ООО of the same name are two firms. Each spelling is compiled
# through the same pipeline as the names.
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "limited liability": (
        "ТОО", "ЖШС", "Товарищество с ограниченной ответственностью",
        "Жауапкершілігі шектеулі серіктестігі", "TOO", "LLP", "Limited Liability Partnership",
        "ООО", "Общество с ограниченной ответственностью", "OOO", "LLC",
        "Limited Liability Company", "ОсОО", "OsOO", "Ltd", "Limited", "Co., Ltd.",
        "Company Limited", "GmbH", "Gesellschaft mit beschränkter Haftung", "S.r.l.",
        "Società a responsabilità limitata", "Sp. z o.o.", "Sp. z.o.o.",
        "Spółka z ograniczoną odpowiedzialnością", "s.r.o.", "spol. s r.o.", "B.V.", "SARL",
        "S.à r.l.", "Kft.", "Oy", "ApS", "FZE", "FZCO", "FZ-LLC", "DMCC", "EOOD", "OOD",
    ),
    "joint stock": (
        "АО", "ОАО", "ЗАО", "ПАО", "АҚ", "Акционерное общество", "Открытое акционерное общество",
        "Закрытое акционерное общество", "Публичное акционерное общество", "Акционерлік қоғам",
        "JSC", "OJSC", "CJSC", "PJSC", "AO", "OAO", "ZAO", "PAO", "Joint Stock Company",
        "Joint-Stock Company", "AG", "Aktiengesellschaft", "S.A.", "S.p.A.", "SAS", "S.A.S.",
        "N.V.", "AB", "A/S", "A.Ş.", "Oyj", "Plc", "AD", "EAD",
    ),
    "partnership": ("KG", "GmbH & Co. KG", "Kommanditgesellschaft", "OHG", "S.n.c."),
    "individual entrepreneur": ("ИП", "Индивидуальный предприниматель", "IP",
                                "Individual Entrepreneur", "ЖК", "Жеке кәсіпкер"),
}  # fmt: skip

# English words that Russian and Kazakh firm names borrow, as they are written in Cyrillic.
BORROWED_WORDS: dict[str, str] = {
    "трейд": "trade", "трейдинг": "trading", "групп": "group", "группа": "group",
    "компани": "company", "компания": "company", "сервис": "service", "сервиз": "service",
    "электроникс": "electronics", "электроник": "electronic", "технолоджи": "technology",
    "технолоджис": "technologies", "системс": "systems", "импорт": "import",
    "экспорт": "export", "холдинг": "holding", "логистикс": "logistics",
    "логистик": "logistic", "интернешнл": "international", "глобал": "global",
    "инвест": "invest", "консалтинг": "consulting", "партнерс": "partners",
    "солюшнс": "solutions", "индастри": "industry", "девелопмент": "development",
    "энерджи": "energy", "маркет": "market", "стар": "star", "лайн": "line", "тех": "tech",
    "компонентс": "components", "плюс": "plus", "про": "pro", "сити": "city",
    "билд": "build", "пауэр": "power", "электроника": "electronics", "капитал": "capital",
    "стандарт": "standard", "микро": "micro", "проект": "project", "машинери": "machinery",
    "инжиниринг": "engineering", "драйв": "drive", "девайсес": "devices", "девайс": "device",
    "секьюрити": "security", "эквипмент": "equipment", "ресурс": "resource",
    "ресурсы": "resources", "коммерс": "commerce", "саплай": "supply", "консалт": "consult",
    "софт": "soft", "кемикал": "chemical", "инструментс": "instruments", "фуд": "food",
    "медиа": "media", "моторс": "motors",
}  # fmt: skip

PUNCTUATION = re.compile(r"[^\w\s]|_", re.ASCII)
SINGLE_LETTER_DOTS = (
    re.compile(r"(?<=\b\w)\.(?=\w\b)", re.ASCII),  # s.r.l. -> srl, o.o. -> oo
    re.compile(r"(?<=\b\w)\.(?=\w\.)", re.ASCII),
)
COMPILED_FOLDS = tuple((re.compile(p, re.ASCII), r) for p, r in FOLDS)


def _fold(text: pd.Series) -> pd.Series:
    """Lower-case Latin skeletons of names in any of the scripts above: ASCII words joined by
    single spaces (``_fold_word`` leaves no other whitespace, ``map_words`` joins with one).

    Every step acts within a word, so each distinct word is folded once (``map_words``).
    """
    return map_words(_nfkc(text), _fold_word)


def _nfkc(text: pd.Series) -> pd.Series:
    """The NFKC form of each text. pandas normalises with a Python call per name and Arrow's
    kernel does not compose, but ASCII text is its own NFKC: only the rest goes to Python."""
    array = arrow(text)
    other = pc.invert(pc.string_is_ascii(array)).fill_null(False)
    normal = [unicodedata.normalize("NFKC", t) for t in array.filter(other).to_pylist()]
    return from_arrow(pc.replace_with_mask(array, other, pa.array(normal, array.type)), text.index)


def _fold_word(word: str) -> str:
    word = word.casefold().translate(TRANSLITERATE)
    if not word.isascii():  # accents of EU names (Süd, Avancées, A.Ş.), and ß, ł, ı...
        decomposed = unicodedata.normalize("NFKD", word)
        word = ascii_text("".join(c for c in decomposed if not unicodedata.combining(c))) or ""
    for dots in SINGLE_LETTER_DOTS:
        word = dots.sub("", word)
    word = PUNCTUATION.sub(" ", word)
    for pattern, replacement in COMPILED_FOLDS:
        word = pattern.sub(replacement, word)
    return " ".join(word.split())


@lru_cache(maxsize=1)
def _legal_form_patterns() -> tuple[str, str, dict[str, str]]:
    """Regexes for a legal form at the start and at the end, and folded form -> class.

    A form must be separated from the rest of the name, so a name that is only a form keeps it.
    """
    classes: dict[str, str] = {}
    for form_class, spellings in LEGAL_FORMS.items():
        folded = _fold(pd.Series(spellings, dtype="string"))
        classes.update({f: form_class for f in folded if f})
    alternatives = "|".join(re.escape(f) for f in sorted(classes, key=len, reverse=True))
    return rf"^(?P<form>{alternatives})\s+", rf"\s+(?P<form>{alternatives})$", classes


@lru_cache(maxsize=1)
def _borrowed_words() -> dict[str, str]:
    """Folded borrowed word -> folded English word, for the words that the mapping changes."""
    folded = _fold(pd.Series(list(BORROWED_WORDS), dtype="string"))
    english = _fold(pd.Series(list(BORROWED_WORDS.values()), dtype="string"))
    return {word: e for word, e in zip(folded, english, strict=True) if word != e}


PARENTHESIS = r"^(?P<before>[^()]*)\((?P<inside>[^()]*)\)(?P<after>[^()]*)$"


def name_keys(names: pd.Series) -> pd.DataFrame:
    """The key and legal-form class of each name: columns ``key`` and ``legal_form``.

    A name that repeats itself in parentheses in another script, as registries write them
    (``ELEM GROUP (ЭЛЕМ ГРУПП)``), counts once.

    >>> names = pd.Series(["ТОО «Алтын Трейд»", "ALTYN TRADE LLP", "«Алтын Трейд» ЖШС"])
    >>> name_keys(names).key.tolist()
    ['altin trade', 'altin trade', 'altin trade']
    """
    encoded = pc.dictionary_encode(arrow(names))  # shipment parties repeat names: key each once
    distinct = from_arrow(encoded.dictionary, pd.RangeIndex(len(encoded.dictionary)))
    keys = _keys(distinct)
    # pandas extracts with Python's re, name by name: only the few names with a bracket can match
    parts = distinct[distinct.str.contains("(", regex=False)].str.extract(PARENTHESIS)
    repeated = parts["inside"].notna()
    if repeated.any():
        outside = _keys(parts.loc[repeated, "before"] + " " + parts.loc[repeated, "after"])
        inside = _keys(parts.loc[repeated, "inside"])
        same = (outside["key"] == inside["key"]).fillna(False).astype(bool)
        keys.loc[same[same].index] = outside[same]
    return pd.DataFrame(
        {
            column: from_arrow(arrow(keys[column]).take(encoded.indices), names.index)
            for column in keys
        }
    )


def _keys(names: pd.Series) -> pd.DataFrame:
    folded, form = _strip_legal_forms(arrow(_fold(names)))
    key = _map_borrowed_words(folded)
    return pd.DataFrame(
        {"key": from_arrow(key, names.index), "legal_form": from_arrow(form, names.index)}
    )


def _strip_legal_forms(folded: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Folded names without the legal form at their start and at their end, and the class of
    the form (the one at the start when both ends have one).

    Arrow's RE2 strips the forms many times faster than pandas, which runs Python's ``re`` on
    each name; on folded names (ASCII words and single spaces) RE2 and ``re`` match alike.
    Which form it was is read off what the stripping took away, not searched for again.
    """
    start, end, classes = _legal_form_patterns()
    no_class = pa.nulls(len(folded), pa.string())
    found_classes = []
    for pattern, taken_off in ((start, str.removesuffix), (end, str.removeprefix)):
        stripped = pc.replace_substring_regex(folded, pattern, "")
        found = pc.not_equal(stripped, folded).fill_null(False)
        forms = map(taken_off, folded.filter(found).to_pylist(), stripped.filter(found).to_pylist())
        form_class = pa.array([classes[form.strip()] for form in forms], pa.string())
        found_classes.append(pc.replace_with_mask(no_class, found, form_class))
        folded = stripped
    return folded, pc.coalesce(*found_classes)


def _map_borrowed_words(folded: pa.Array) -> pa.Array:
    """Borrowed words of folded names mapped to English; ``map_words`` only gets the names that
    have one (found by RE2: folded words are separated by single spaces)."""
    borrowed = _borrowed_words()
    words = "|".join(re.escape(word) for word in borrowed)
    has_one = pc.match_substring_regex(folded, rf"(?:^| )(?:{words})(?: |$)").fill_null(False)
    names = folded.filter(has_one)
    mapped = map_words(from_arrow(names, pd.RangeIndex(len(names))), lambda w: borrowed.get(w, w))
    return pc.replace_with_mask(folded, has_one, arrow(mapped))


def name_key(name: str) -> str:
    """The key of one name (see ``name_keys``)."""
    return str(name_keys(pd.Series([name], dtype="string"))["key"].iloc[0])


def address_keys(addresses: pd.Series) -> pd.Series:
    """Addresses ignoring case, spacing and punctuation, for finding firms at one address.

    Stored on each Company node as ``address_key`` (see ``graphkit.store``), so that a graph
    store matches addresses exactly as the analysis does.

    >>> address_keys(pd.Series(["Пр. Достык, 97Б", "пр  ДОСТЫК 97б"], dtype="string")).tolist()
    ['пр достык 97б', 'пр достык 97б']
    """
    folded = addresses.astype("string").str.normalize("NFKC").str.casefold()
    return folded.str.replace(r"[\W_]+", " ", regex=True).str.strip()
