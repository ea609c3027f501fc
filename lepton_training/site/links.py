"""Check a built static site: every internal link and anchor resolves, and no page loads anything from outside.

Sphinx's own ``linkcheck`` builder visits external addresses over the network; this check reads the built HTML
instead, so it runs offline in a fraction of a second:

* every relative ``href`` and ``src`` must name a file of the site, and a ``#fragment`` an ``id`` (or ``name``)
  in that page;
* an ``http(s)`` address is allowed only as a link a reader clicks (``<a href>``); a script, stylesheet,
  image, frame, font or ``url(...)`` that loads from another host makes the page depend on the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["LinkProblem", "check_site", "external_resources"]

# Attributes that make the browser load something (as opposed to a link a person may follow).
_LOADING = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
}
_CSS_URL = re.compile(r"url\(\s*['\"]?(https?:)?//", re.I)
_CSS_IMPORT = re.compile(r"@import\s+['\"]?(https?:)?//", re.I)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


@dataclass(frozen=True)
class LinkProblem:
    """One problem found in a page.

    Attributes
    ----------
    page : str
        The page, relative to the site's root.
    target : str
        The link or address.
    reason : str
        What is wrong.
    """

    page: str
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.target}: {self.reason}"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in {"id"} or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in {"href", "src", "data", "srcset"}:
                self.refs.append((tag, name, value))
            elif name == "style":
                self.styles.append(value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    page.close()
    return page


def external_resources(page: _Page) -> list[str]:
    """Return the addresses on other hosts that a parsed page would load (not the links it offers)."""
    found = []
    for tag, attribute, value in page.refs:
        if (tag, attribute) in _LOADING:
            for candidate in value.split(","):
                address = candidate.strip().split(" ")[0]
                if urlsplit(address).scheme in {"http", "https"} or address.startswith("//"):
                    found.append(address)
    for style in page.styles:
        style = _CSS_COMMENT.sub("", style)
        found += [m.group(0) for m in _CSS_URL.finditer(style)]
        found += [m.group(0) for m in _CSS_IMPORT.finditer(style)]
    return found


def check_site(folder: str | Path) -> list[LinkProblem]:
    """Check every HTML page of a built site.

    Parameters
    ----------
    folder : path
        The site's root (Sphinx's HTML output).

    Returns
    -------
    list of LinkProblem
        Empty when every internal link and anchor resolves and no page loads anything from outside.
    """
    root = Path(folder).resolve()
    pages = {p.resolve(): None for p in root.rglob("*.html")}
    parsed: dict[Path, _Page] = {}

    def page_of(path: Path) -> _Page:
        if path not in parsed:
            parsed[path] = _parse(path)
        return parsed[path]

    problems = []
    for path in sorted(pages):
        page = page_of(path)
        name = str(path.relative_to(root))
        problems += [LinkProblem(name, address, "loaded from outside the site") for address in external_resources(page)]
        for _tag, attribute, value in page.refs:
            parts = urlsplit(value)
            if parts.scheme or value.startswith("//") or attribute == "srcset":
                continue  # external links (checked above when they load something), mailto:, data:, javascript:
            target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if root not in target.parents and target != root:
                problems.append(LinkProblem(name, value, "points outside the site"))
                continue
            if not target.is_file():
                problems.append(LinkProblem(name, value, "no such file"))
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in page_of(target).ids:
                problems.append(LinkProblem(name, value, f"no anchor #{fragment} in {target.relative_to(root)}"))
    return problems
