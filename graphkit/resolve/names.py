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
from normality import ascii_text

from graphkit.columns import map_words

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
    """Lower-case Latin skeletons of names in any of the scripts above.

    Every step acts within a word, so each distinct word is folded once (``map_words``).
    """
    return map_words(text.astype("string").str.normalize("NFKC"), _fold_word)


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
def _legal_form_patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """Regexes for a legal form at the start and at the end, and folded form -> class."""
    classes: dict[str, str] = {}
    for form_class, spellings in LEGAL_FORMS.items():
        folded = _fold(pd.Series(spellings, dtype="string"))
        classes.update({f: form_class for f in folded if f})
    alternatives = "|".join(re.escape(f) for f in sorted(classes, key=len, reverse=True))
    return (
        re.compile(rf"^(?P<form>{alternatives})\s+"),
        re.compile(rf"\s+(?P<form>{alternatives})$"),
        classes,
    )


@lru_cache(maxsize=1)
def _borrowed_words() -> dict[str, str]:
    folded = _fold(pd.Series(list(BORROWED_WORDS), dtype="string"))
    english = _fold(pd.Series(list(BORROWED_WORDS.values()), dtype="string"))
    return dict(zip(folded, english, strict=True))


PARENTHESIS = r"^(?P<before>[^()]*)\((?P<inside>[^()]*)\)(?P<after>[^()]*)$"


def name_keys(names: pd.Series) -> pd.DataFrame:
    """The key and legal-form class of each name: columns ``key`` and ``legal_form``.

    A name that repeats itself in parentheses in another script, as registries write them
    (``ELEM GROUP (ЭЛЕМ ГРУПП)``), counts once.

    >>> names = pd.Series(["ТОО «Алтын Трейд»", "ALTYN TRADE LLP", "«Алтын Трейд» ЖШС"])
    >>> name_keys(names).key.tolist()
    ['altin trade', 'altin trade', 'altin trade']
    """
    keys = _keys(names.astype("string"))
    parts = names.astype("string").str.extract(PARENTHESIS)
    repeated = parts["inside"].notna()
    if repeated.any():
        outside = _keys(parts.loc[repeated, "before"] + " " + parts.loc[repeated, "after"])
        inside = _keys(parts.loc[repeated, "inside"])
        same = (outside["key"] == inside["key"]).fillna(False).astype(bool)
        keys.loc[same[same].index] = outside[same]
    return keys


def _keys(names: pd.Series) -> pd.DataFrame:
    folded = _fold(names)
    start, end, classes = _legal_form_patterns()
    form = pd.Series(pd.NA, index=folded.index, dtype="string")
    for pattern in (start, end):
        found = folded.str.extract(pattern, expand=False).astype("string")
        stripped = folded.str.replace(pattern, "", regex=True)
        usable = found.notna() & (stripped.str.len() > 0)  # a name that is only a form keeps it
        folded = folded.where(~usable, stripped)
        form = form.fillna(found.where(usable).map(classes, na_action="ignore").astype("string"))
    borrowed = _borrowed_words()
    key = map_words(folded, lambda word: borrowed.get(word, word))
    return pd.DataFrame({"key": key, "legal_form": form}, index=names.index)


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
