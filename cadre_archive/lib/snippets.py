"""Show where a searched phrase appears in a material's title or text."""


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
