"""The index matches a simplified expression: it must match exactly the documents the full one
does, for any document our tokenizer can write."""

import random

import pytest
from django.contrib.auth.models import AnonymousUser

from dayi.catalog.reference_data import read_tsv
from dayi.demo.instruments import all_templates
from dayi.search import backends, normalize
from dayi.search.expressions import All, Any, Term, alternatives, simplified, to_tsquery
from dayi.search.query import parse
from dayi.search.selectors import visible_documents

from .catalogue import INSTRUMENTS
from .test_relevance import QUERIES

# A small world: a "long word" holds its inner words, as a document holding 紫外可见 holds 紫外.
INNER = {"ab": ("a", "b"), "abc": ("a", "b", "ab", "bc", "c"), "bc": ("b", "c")}
WORDS = ["a", "b", "c", "ab", "bc", "abc", "d", "e"]


def inner(term):
    return [Term(w) for w in INNER.get(term.text, ())]


def matches(node, tokens) -> bool:
    if isinstance(node, Term):
        return any(t.startswith(node.text) for t in tokens) if node.prefix else node.text in tokens
    test = all if isinstance(node, All) else any
    return test(matches(item, tokens) for item in node.items)


def random_expression(rng, depth=0):
    if depth == 3 or rng.random() < 0.35:
        return Term(rng.choice(WORDS), prefix=rng.random() < 0.15)
    kind = rng.choice([All, Any])
    return kind(tuple(random_expression(rng, depth + 1) for _ in range(rng.randint(2, 4))))


def documents():
    """Every set of tokens that holds the inner words of each of its long words."""
    found = []
    for mask in range(1 << len(WORDS)):
        tokens = {w for i, w in enumerate(WORDS) if mask >> i & 1}
        if all(set(INNER.get(t, ())) <= tokens for t in tokens):
            found.append(tokens)
    return found


def test_absorption():
    a, b, ab = Term("a"), Term("b"), Term("ab")
    assert simplified(Any((a, All((a, b))))) == a
    assert simplified(All((a, Any((a, b))))) == a
    assert simplified(Any((ab, All((a, b)))), inner) == All((a, b))
    assert simplified(Any((Term("abc"), Term("ab", prefix=True)))) == Term("ab", prefix=True)
    assert simplified(Any((a, Term("a")))) == a


def test_simplified_expressions_match_the_same_documents():
    rng = random.Random(2026)
    every = documents()
    for _ in range(1500):
        expression = random_expression(rng)
        simple = simplified(expression, inner)
        for tokens in every:
            assert matches(simple, tokens) == matches(expression, tokens), (expression, simple, tokens)


def test_the_alternatives_together_match_what_the_expression_does():
    rng = random.Random(2027)
    every = documents()
    for _ in range(1500):
        expression = simplified(random_expression(rng), inner)
        parts = alternatives(expression)
        assert all(isinstance(part, (Term, All)) or all(isinstance(t, Term) for t in part.items) for part in parts)
        for tokens in every:
            assert any(matches(part, tokens) for part in parts) == matches(expression, tokens), (expression, parts)


def _texts():
    yield from (text for row in INSTRUMENTS for text in (row[1], row[6]))
    for template in all_templates():
        yield from (template.name, template.specs, template.functions, template.service)
    yield from (row["name"] for row in read_tsv("instrument_classes.tsv"))


def test_a_document_holds_the_inner_words_of_each_of_its_words():
    """What the simplifier assumes of the index, checked on real names and descriptions."""
    for text in _texts():
        tokens = set(normalize.tokens(text))
        for token in tokens:
            assert set(normalize.inner_words(token)) <= tokens, (text, token)


@pytest.mark.django_db
def test_the_index_finds_the_same_records_either_way(catalogue):
    documents = visible_documents(AnonymousUser())
    for query, _wanted in QUERIES:
        parsed = parse(query)
        if parsed.expression is None:
            continue
        full = parse(query)
        full.matching = full.expression
        assert set(backends.match(documents, parsed, ranked=False).values_list("pk", flat=True)) == set(
            backends.match(documents, full, ranked=False).values_list("pk", flat=True)
        ), (query, to_tsquery(parsed.matching))
