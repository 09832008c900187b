"""Reading a netscan page back: its elements, scripts, styles, graph data and what it fetches."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

# Every element a map or case file may contain: data must never add one.
PAGE_TAGS = frozenset(
    ("html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "main",
     "div", "aside", "ul", "ol", "li", "span", "script", "section", "table", "thead", "tbody",
     "tfoot", "tr", "th", "td", "strong", "br")
)  # fmt: skip
# Attributes that make a browser fetch something.
URL_ATTRIBUTES = frozenset(
    ("src", "href", "srcset", "action", "formaction", "data", "poster", "background", "cite",
     "longdesc", "manifest", "ping", "xlink:href")
)  # fmt: skip
CSS_URL = re.compile(r"url\(\s*['\"]?(?P<url>[^'\")]*)|@import\s+['\"](?P<import>[^'\"]*)")


@dataclass
class Element:
    tag: str
    attributes: dict[str, str]
    text: str = ""


@dataclass
class Page:
    elements: list[Element] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    @property
    def graph(self) -> dict[str, Any]:
        (data,) = [e for e in self.all("script") if e.attributes.get("id") == "netscan-graph"]
        graph: dict[str, Any] = json.loads(data.text)
        return graph

    @property
    def csp(self) -> str:
        (meta,) = [e for e in self.all("meta") if e.attributes.get("http-equiv")]
        assert meta.attributes["http-equiv"] == "Content-Security-Policy"
        return meta.attributes["content"]

    def requested_urls(self) -> list[str]:
        """Everything the markup and style sheets would make a browser fetch."""
        urls = [
            value
            for element in self.elements
            for name, value in element.attributes.items()
            if name in URL_ATTRIBUTES
        ]
        for style in self.all("style"):
            urls += [m["url"] or m["import"] for m in CSS_URL.finditer(style.text)]
        return [url for url in urls if not url.strip().startswith(("data:", "#"))]

    def visible_text(self) -> str:
        return " ".join(self.text)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._raw: Element | None = None  # the script or style being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.page.elements.append(element)
        if tag in ("script", "style"):
            self._raw = element

    def handle_endtag(self, tag: str) -> None:
        self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw is not None:
            self._raw.text += data
        elif data.strip():
            self.page.text.append(data.strip())


def read_page(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def node_by_name(graph: dict[str, Any], name: str) -> dict[str, Any]:
    """The vis node whose hover text starts with ``name``."""
    (node,) = [n for n in graph["nodes"] if n["title"].split("\n")[0] == name]
    return node


def edges_between(graph: dict[str, Any], source: str, target: str) -> list[dict[str, Any]]:
    ids = {n["title"].split("\n")[0]: n["id"] for n in graph["nodes"]}
    return [e for e in graph["edges"] if (e["from"], e["to"]) == (ids[source], ids[target])]


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")
            self._in_cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        if self._in_cell and data.strip():
            cell = self.rows[-1][-1]
            self.rows[-1][-1] = f"{cell} {data.strip()}".strip()


def table_rows(html: str, first_cell: str) -> list[list[str]]:
    """The cells of every table row whose first cell starts with ``first_cell``."""
    reader = _Rows()
    reader.feed(html)
    return [row for row in reader.rows if row and row[0].startswith(first_cell)]
