"""Inputs the report tests share: the example folder, a run date, and hostile names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

EXAMPLES = Path(__file__).parents[2] / "examples"
RUN_DATE = date(2024, 6, 1)

# Data that would run script if a page put it into HTML or JavaScript unescaped. Each one,
# if it ran, marks the page, so that a browser test can tell.
IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">"
SCRIPT = "</script><script>document.body.setAttribute('data-pwned','script')</script>"
SVG = "<svg onload=\"document.body.setAttribute('data-pwned','svg')\"></svg>"
IFRAME = "<iframe src=https://evil.example/x></iframe>"
HOSTILE = (IMG, SCRIPT, SVG, IFRAME)
HOSTILE_FIRM = "KZ-1</script>"
