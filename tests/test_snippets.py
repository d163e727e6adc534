"""The search snippet: escaped first, then the searched phrases marked."""

from cadre_archive_lib.snippets import (
    MARK_CLOSE,
    MARK_OPEN,
    highlight_html,
    is_caseless,
    search_terms,
    snippet_html,
)


def marked(text):
    return f"{MARK_OPEN}{text}{MARK_CLOSE}"


def test_search_terms_accept_a_string_or_the_values_of_a_facet():
    assert search_terms(" 任命 ") == ("任命",)
    assert search_terms(["任命", " ", "", "财政局"]) == ("任命", "财政局")
    assert search_terms(None) == ()
    assert search_terms([]) == ()


def test_the_phrase_is_marked_in_its_context():
    html = snippet_html(
        ["同志为县"], "任免审批表", "经研究决定，任命张三同志为县财政局副局长。"
    )
    assert html == f"经研究决定，任命张三{marked('同志为县')}财政局副局长。"


def test_markup_in_the_title_or_text_is_shown_as_text():
    html = snippet_html(["决定"], "<script>alert(1)</script>决定", "")
    assert "<script>" not in html
    assert html == f"&lt;script&gt;alert(1)&lt;/script&gt;{marked('决定')}"
    html = snippet_html(["b"], "", 'a<b onclick="x">b')
    assert html == f"a&lt;{marked('b')} onclick=&quot;x&quot;&gt;{marked('b')}"


def test_a_phrase_never_matches_inside_an_escape():
    assert highlight_html("a < b", ["lt"]) == "a &lt; b"
    assert highlight_html("R&D", ["amp"]) == "R&amp;D"


def test_every_phrase_and_every_occurrence_is_marked_ignoring_case():
    html = highlight_html("Key and key, 任命 and 财政局", ["KEY", "财政局"])
    assert html == (f"{marked('Key')} and {marked('key')}, 任命 and {marked('财政局')}")


def test_the_longer_phrase_wins_over_a_phrase_inside_it():
    assert highlight_html("县财政局", ["财政", "县财政局"]) == marked("县财政局")


def test_nothing_found_or_nothing_searched_is_empty():
    assert snippet_html(["zzz"], "title", "text") == ""
    assert snippet_html([], "title", "text") == ""
    assert snippet_html(None, "title", "text") == ""


def test_the_text_is_searched_when_the_title_does_not_match():
    text = "a" * 40 + "needle" + "b" * 40
    html = snippet_html(["needle"], "title", text)
    assert html == "…" + "a" * 30 + marked("needle") + "b" * 30 + "…"


def test_chinese_digits_and_punctuation_are_caseless():
    for term in (
        "年度考核",
        "任免审批表",
        "2019年",
        "经研究决定，任命",
        "一 二",
        "（副）",
    ):
        assert is_caseless(term), term


def test_letters_with_case_wildcards_and_empty_terms_are_not():
    # a letter with case, a circled letter (So, has case), a combining dot
    # (the tail of lower("İ")), the LIKE wildcards and escape, the empty term
    for term in ("Zhang", "年度a", "Ⓐ", "i\u0307", "年%", "年_度", "年\\", ""):
        assert not is_caseless(term), term


def test_a_caseless_term_matches_case_sensitively_where_it_matches_at_all():
    """What LIKE finds is what ILIKE finds (Python's lower() standing for
    the database's), on texts mixing cased and caseless characters."""
    texts = ("İ年度考核Σ", "ΑΒΓ年度考核", "年度考核", "年度 考核", "ǅ任免审批表ß")
    for term in ("年度考核", "任免审批表", "度考"):
        assert is_caseless(term)
        for text in texts:
            assert (term in text) == (term.lower() in text.lower()), (term, text)
