"""The pages in a real browser: headless Chromium with name resolution cut off.

Each page is opened once; Chromium writes a screenshot, the DOM after the scripts ran, its
console and a log of every network request. The tests check that the map was drawn (coloured
pixels on the canvas), that the page asked the network for nothing, and that hostile names
stayed text. They need Chromium (Debian: ``apt-get install chromium``) and fail without it,
unless NETSCAN_SKIP_BROWSER=1.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import numpy as np
import pytest
from report.samples import RUN_DATE

from graphkit.analysis.intermediaries import Finding, find_intermediaries
from graphkit.dataset import Dataset
from graphkit.report.casefile import case_file
from graphkit.report.maps import ASSETS, finding_map, neighbourhood_map, overview_map

WINDOW = (1400, 950)
# Screenshots at half resolution: a quarter of the pixels to decode, the same page layout.
SCALE = 0.5
# Where the map is drawn in a window of that size, in page pixels, clear of the header, the
# legend and vis-network's navigation buttons in the map's bottom corners.
MAP_AREA = (200, 300, 950, 850)  # left, top, right, bottom
DRAWN = 500  # coloured pixels in MAP_AREA that show a drawn map; a blank one has none
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--enable-logging=stderr",
    "--v=0",
    f"--window-size={WINDOW[0]},{WINDOW[1]}",
    f"--force-device-scale-factor={SCALE}",
    "--virtual-time-budget=5000",
)


@pytest.fixture(scope="module")
def chromium() -> str:
    if os.environ.get("NETSCAN_SKIP_BROWSER") == "1":
        pytest.skip("NETSCAN_SKIP_BROWSER=1")
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    pytest.fail(
        "Chromium is needed for the browser tests: apt-get install chromium "
        "(or set NETSCAN_SKIP_BROWSER=1 to skip them)"
    )


@dataclass
class Visit:
    dom: str
    console: list[str]
    requests: list[str]  # URLs the page asked the network for
    coloured: int  # coloured pixels in MAP_AREA of the screenshot


@pytest.fixture(scope="module")
def browse(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    runs = count()

    def visit(html: str) -> Visit:
        folder = tmp_path_factory.mktemp(f"visit{next(runs)}")
        page, screenshot, netlog = folder / "page.html", folder / "shot.png", folder / "net.json"
        page.write_text(html, encoding="utf-8")
        run = subprocess.run(
            [
                chromium,
                *FLAGS,
                f"--user-data-dir={folder / 'profile'}",
                f"--log-net-log={netlog}",
                f"--screenshot={screenshot}",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return Visit(
            dom=run.stdout,
            console=[line for line in run.stderr.splitlines() if ":CONSOLE" in line],
            requests=page_requests(netlog),
            coloured=coloured_pixels(screenshot, MAP_AREA),
        )

    yield visit


def page_requests(netlog: Path) -> list[str]:
    """URLs requested on behalf of a page opened from a file (Chromium's own update and
    account checks are made for no page and are left out)."""
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return sorted(
        {
            event["params"]["url"]
            for event in log["events"]
            if event["type"] == start
            and "file://" in event["params"].get("network_isolation_key", "")
        }
    )


def coloured_pixels(png: Path, area: tuple[int, int, int, int]) -> int:
    """Pixels in ``area`` (page pixels) whose colour is not a grey: node fills and coloured
    lines, never the white background or black text."""
    image = _decode_png(png.read_bytes()).astype(np.int16)
    left, top, right, bottom = (round(edge * SCALE) for edge in area)
    assert right <= image.shape[1] and bottom <= image.shape[0]
    region = image[top:bottom, left:right]
    return int(((region.max(axis=2) - region.min(axis=2)) > 60).sum())


def _decode_png(data: bytes) -> np.ndarray:
    """8-bit RGB or RGBA, not interlaced (what Chromium writes) -> height x width x RGB."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: dict[bytes, bytes] = {}
    position = 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        chunks[kind] = chunks.get(kind, b"") + data[position + 8 : position + 8 + length]
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert depth == 8 and colour in (2, 6) and interlace == 0
    channels = 3 if colour == 2 else 4
    raw = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), dtype=np.uint8)
    lines = raw.reshape(height, width * channels + 1)
    image = np.zeros((height, width * channels), dtype=np.uint8)
    above = np.zeros(width * channels, dtype=np.uint8)
    for y in range(height):
        image[y] = _unfilter(int(lines[y, 0]), lines[y, 1:], above, channels)
        above = image[y]
    return image.reshape(height, width, channels)[:, :, :3]


def _unfilter(kind: int, line: np.ndarray, above: np.ndarray, channels: int) -> np.ndarray:
    """One row of the PNG filters (RFC 2083, 6.2); uint8 arithmetic wraps as they require."""
    if kind == 0:
        return line
    if kind == 1:
        return np.cumsum(line.reshape(-1, channels), axis=0, dtype=np.uint8).reshape(-1)
    if kind == 2:
        return line + above
    row, up = line.tolist(), above.tolist()  # average and Paeth go pixel by pixel
    for i in range(len(row)):
        left = row[i - channels] if i >= channels else 0
        corner = up[i - channels] if i >= channels else 0
        guess = (left + up[i]) // 2 if kind == 3 else _paeth(left, up[i], corner)
        row[i] = (row[i] + guess) & 0xFF
    return np.array(row, dtype=np.uint8)


def _paeth(left: int, up: int, corner: int) -> int:
    estimate = left + up - corner
    distances = (abs(estimate - left), abs(estimate - up), abs(estimate - corner))
    return (left, up, corner)[distances.index(min(distances))]


def test_a_finding_map_of_the_examples_draws_offline(
    browse, examples: Dataset, example_findings: list[Finding]
) -> None:
    visit = browse(finding_map(example_findings[0], examples, run_date=RUN_DATE))
    assert 'data-map-drawn="true"' in visit.dom
    assert visit.coloured > DRAWN
    assert visit.requests == []
    assert visit.console == []  # no script error, no request refused by the page's policy


def test_an_undrawn_map_is_told_apart(
    browse, examples: Dataset, example_findings: list[Finding]
) -> None:
    """The pixel check is not vacuous: without vis-network the canvas stays blank."""
    html = finding_map(example_findings[0], examples, run_date=RUN_DATE)
    vis = (ASSETS / "vis-network.min.js").read_text(encoding="utf-8")
    visit = browse(html.replace(vis, ""))
    assert 'data-map-drawn="true"' not in visit.dom
    assert visit.coloured < DRAWN / 10


def test_the_request_log_sees_what_a_page_fetches(browse) -> None:
    """The request check is not vacuous: a page that links a CDN shows up in the log."""
    visit = browse(
        '<!DOCTYPE html><img src="http://cdn.example.invalid/pixel.png">'
        '<script src="https://cdn.example.invalid/vis.js"></script>'
    )
    assert visit.requests == [
        "http://cdn.example.invalid/pixel.png",
        "https://cdn.example.invalid/vis.js",
    ]


def test_a_case_file_draws_offline(
    browse, examples: Dataset, example_findings: list[Finding]
) -> None:
    visit = browse(case_file(example_findings[0], examples, run_date=RUN_DATE))
    assert 'data-map-drawn="true"' in visit.dom
    assert visit.coloured > DRAWN
    assert (visit.requests, visit.console) == ([], [])


def test_maps_of_a_large_world_draw_offline(browse, world: Dataset) -> None:
    flagged = find_intermediaries(world)
    for html in (
        overview_map(flagged, world, run_date=RUN_DATE),
        neighbourhood_map(world, flagged[0].id, depth=8, run_date=RUN_DATE),  # aggregated
    ):
        visit = browse(html)
        assert 'data-map-drawn="true"' in visit.dom
        assert visit.coloured > DRAWN, visit.coloured
        assert (visit.requests, visit.console) == ([], [])


def test_hostile_names_run_nothing_in_the_browser(browse, hostile: tuple[Dataset, Finding]) -> None:
    dataset, finding = hostile
    for html in (
        finding_map(finding, dataset, run_date=RUN_DATE),
        case_file(finding, dataset, run_date=RUN_DATE),
    ):
        visit = browse(html)
        assert 'data-map-drawn="true"' in visit.dom  # the data broke nothing
        assert "data-pwned=" not in re.sub(r"&lt;.*?&gt;", "", visit.dom)
        assert not re.search(r"<(img|svg|iframe)\b", visit.dom)  # no element from the data
        assert visit.dom.count("</script>") == 3  # no script element from the data
        assert "&lt;img src=x onerror=" in visit.dom  # shown as text
        assert (visit.requests, visit.console) == ([], [])


# Moves the mouse onto the first node (the intermediary) once the map is drawn.
HOVER = """<script>
setTimeout(function () {
  var map = window.netscanMap, canvas = document.querySelector("#netscan-map canvas");
  var box = canvas.getBoundingClientRect(), at = map.canvasToDOM(map.getPositions([0])[0]);
  canvas.dispatchEvent(new MouseEvent("mousemove", {
    clientX: box.left + at.x, clientY: box.top + at.y, bubbles: true
  }));
}, 300);
</script>"""


def test_a_hostile_name_in_a_tooltip_is_text(browse, hostile: tuple[Dataset, Finding]) -> None:
    """With the page's policy taken off (so that this test can move the mouse), hovering the
    firm shows its name as text in the tooltip, and the name's markup runs nothing."""
    dataset, finding = hostile
    html = finding_map(finding, dataset, run_date=RUN_DATE)
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    visit = browse(html.replace("</body>", HOVER + "</body>"))
    tooltip = re.search(r'<div class="vis-tooltip"[^>]*>(.*?)</div>\s*</div>', visit.dom, re.S)
    assert tooltip, "no tooltip: the mouse did not reach the firm"
    assert tooltip.group(1).startswith(
        '<div class="netscan-tooltip"><strong>ТОО «&lt;img src=x onerror='
    )
    assert "data-pwned=" not in re.sub(r"&lt;.*?&gt;", "", visit.dom)
    assert not re.search(r"<(img|svg|iframe)\b", visit.dom)
