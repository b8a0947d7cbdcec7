import pytest

from dayi.search.expressions import All, Any, Term, to_fts5, to_tsquery
from dayi.search.query import parse


def test_expressions_render_safely():
    node = All((Term("原子"), Any((Term("icp", prefix=True), Term("o'es")))))
    assert to_tsquery(node) == "('原子' & ('icp':* | 'oes'))"
    assert to_fts5(node) == '("原子" AND ("icp"* OR "oes"))'


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["", "   ", "?!。，…", "' \" * : & | ! ( ) -", "🔬🧪"])
def test_nothing_to_search_means_show_all(typed):
    parsed = parse(typed)
    assert parsed.is_empty and parsed.expression is None


@pytest.mark.django_db
def test_words_the_index_lacks_match_nothing():
    parsed = parse("qqqqzzzz")
    assert parsed.matches_nothing
