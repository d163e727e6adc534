"""Show where a searched phrase appears in a material's title or text."""

import html
import re
import unicodedata
from collections.abc import Iterable

MARK_OPEN = '<mark class="o_cadre_archive_match">'
MARK_CLOSE = "</mark>"


def search_terms(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Return the searched phrases of ``value``, stripped, empty ones dropped.

    The search bar passes the phrases typed for one field as a list (one per
    value of its facet); a single phrase may come as a string.
    """
    if not value:
        return ()
    if isinstance(value, str):
        value = [value]
    return tuple(term.strip() for term in value if term and term.strip())


# Unicode categories of characters without case: ideographs and other
# letters with no case (Lo), digits, punctuation but the connector (the "_"
# of LIKE patterns is a Pc) and spaces. None of them is the lower case of
# another character, nor part of one.
_CASELESS_CATEGORIES = frozenset({"Lo", "Nd", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Zs"})
_PATTERN_CHARACTERS = frozenset("%_\\")


def is_caseless(term: str) -> bool:
    """Whether ``term`` reads the same in every case: every character is an
    ideograph, a digit, a punctuation mark or a space (年度考核, 2019年).

    Such a term is found by a case-sensitive LIKE exactly where ILIKE finds
    it (lower-casing the text cannot make or break a match of characters
    that have no case), and LIKE does not lower-case every text it reads,
    which for Chinese text is several times faster. The wildcards of LIKE
    (``%``, ``_``) and its escape character are never caseless here.
    """
    return bool(term) and all(
        char not in _PATTERN_CHARACTERS
        and unicodedata.category(char) in _CASELESS_CATEGORIES
        for char in term
    )


def snippet(term, title, text, width=30):
    """Return the text around the first occurrence of ``term``, or "".

    The title is searched first, then the recognised text; matching ignores
    case. ``width`` characters are kept on each side, with an ellipsis where
    the text was cut.
    """
    term = (term or "").strip()
    if not term:
        return ""
    for source in (title or "", text or ""):
        position = source.lower().find(term.lower())
        if position < 0:
            continue
        start = max(0, position - width)
        end = min(len(source), position + len(term) + width)
        excerpt = " ".join(source[start:end].split())
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(source) else ""
        return f"{prefix}{excerpt}{suffix}"
    return ""


def _match_pattern(terms: Iterable[str]) -> re.Pattern | None:
    """One case-insensitive pattern for every phrase, the longest first (so
    that a phrase inside a longer one does not cut the longer match)."""
    alternatives = sorted({re.escape(term) for term in terms if term}, key=len)
    if not alternatives:
        return None
    return re.compile("|".join(reversed(alternatives)), re.IGNORECASE)


def highlight_html(excerpt: str, terms: Iterable[str]) -> str:
    """Return ``excerpt`` as HTML with the phrases marked.

    Matches are found in the plain text first, then every piece is escaped:
    a title or text holding markup (``<script>``) is shown as text, and a
    phrase never matches inside an escape sequence such as ``&lt;``.
    """
    pattern = _match_pattern(terms)
    if pattern is None:
        return html.escape(excerpt)
    pieces, last = [], 0
    for match in pattern.finditer(excerpt):
        pieces.append(html.escape(excerpt[last : match.start()]))
        pieces.append(f"{MARK_OPEN}{html.escape(match.group())}{MARK_CLOSE}")
        last = match.end()
    pieces.append(html.escape(excerpt[last:]))
    return "".join(pieces)


def snippet_html(terms: Iterable[str], title: str, text: str, width=30) -> str:
    """Return, as safe HTML, the excerpt around the first phrase of ``terms``
    found in the title or the text, with every phrase marked; "" when none is
    found."""
    terms = search_terms(terms)
    for term in terms:
        excerpt = snippet(term, title, text, width=width)
        if excerpt:
            return highlight_html(excerpt, terms)
    return ""
