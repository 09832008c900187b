"""The Content-Security-Policy of netscan's pages: only their own inline blocks, no requests."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from functools import cache


@cache
def csp_hash(text: str) -> str:
    """The CSP source that allows exactly this inline script or style block."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(*, scripts: Iterable[str] = (), styles: Iterable[str] = ()) -> str:
    """A policy that runs only these inline blocks, shows only embedded images, fetches nothing."""
    script_sources = " ".join(csp_hash(s) for s in scripts) or "'none'"
    style_sources = " ".join(csp_hash(s) for s in styles) or "'none'"
    return (
        f"default-src 'none'; script-src {script_sources}; style-src {style_sources}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
