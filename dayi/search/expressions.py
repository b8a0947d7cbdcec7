"""A parsed query as a small tree (terms, AND, OR) and its two renderings: a PostgreSQL
tsquery and an SQLite FTS5 query. Terms are normalized tokens ([a-z0-9] or Han), so no
operator character a person types can ever reach either query language."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class All:
    items: tuple


@dataclass(frozen=True)
class Any:
    items: tuple


def all_of(items):
    items = tuple(dict.fromkeys(i for i in items if i is not None))
    if not items:
        return None
    return items[0] if len(items) == 1 else All(items)


def any_of(items):
    items = tuple(dict.fromkeys(i for i in items if i is not None))
    if not items:
        return None
    return items[0] if len(items) == 1 else Any(items)


def terms(node) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    return [t for item in node.items for t in terms(item)]


def _flat(kind, items) -> tuple:
    """The items of a node of `kind`, with the items of children of the same kind pulled up."""
    found = []
    for item in items:
        found.extend(item.items if isinstance(item, kind) else [item])
    return tuple(dict.fromkeys(found))


def _implies(a, b, contains) -> bool:
    """Whether every document that matches `a` matches `b` (sufficient tests, not all of them).
    `contains(term)` is the terms a document holding `term` always holds besides it."""
    if isinstance(b, All):
        return all(_implies(a, item, contains) for item in b.items)
    if isinstance(a, Any):
        return all(_implies(item, b, contains) for item in a.items)
    if isinstance(a, All):
        return any(_implies(item, b, contains) for item in a.items) or (
            isinstance(b, Any) and any(_implies(a, item, contains) for item in b.items)
        )
    if isinstance(b, Any):
        return any(_implies(a, item, contains) for item in b.items)
    if b.prefix:
        return a.text.startswith(b.text)
    return not a.prefix and (a.text == b.text or b in contains(a))


def simplified(node, contains=lambda term: ()):
    """The same match with fewer terms: X | (X & Y) is X, and X & (X | Y) is X. A document
    that holds a long word also holds the dictionary words inside it (`contains`), so
    紫外可见 | (紫外 & 可见) is 紫外 & 可见 to the index. Each term costs the GIN index a
    posting list to merge and each candidate row a test of the whole query: 紫外 expanded by
    the dictionary to 21 terms matched in 30 ms, simplified to three in 7 ms, the same rows."""
    if isinstance(node, Term):
        return node
    kind = type(node)
    items = _flat(kind, (simplified(item, contains) for item in node.items))
    kept = []
    for i, item in enumerate(items):
        others = [other for j, other in enumerate(items) if j != i and not (j < i and other not in kept)]
        if kind is Any:
            # In an OR, an item that implies another one adds no match.
            redundant = any(_implies(item, other, contains) for other in others)
        else:
            # In an AND, an item that another one implies adds no condition.
            redundant = any(_implies(other, item, contains) for other in others)
        if not redundant:
            kept.append(item)
    return kept[0] if len(kept) == 1 else kind(tuple(kept))


def alternatives(node) -> list:
    """`node` as alternatives that each need all of their terms, and one alternative for the
    single terms: the GIN index reads every posting list of a query that needs none of its
    terms in full, but skips through the common terms of one that needs them all. Matched as
    one OR per alternative, 顺磁 read the vector index in 5 ms instead of 10, gc-ms in 5 ms
    instead of 9 (100,000 instruments, the same rows)."""
    if not isinstance(node, Any):
        return [node]
    single = [item for item in node.items if isinstance(item, Term)]
    grouped = [item for item in node.items if not isinstance(item, Term)]
    return grouped + ([any_of(single)] if single else [])


def _safe(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def to_tsquery(node) -> str:
    if isinstance(node, Term):
        return f"'{_safe(node.text)}'" + (":*" if node.prefix else "")
    joiner = " & " if isinstance(node, All) else " | "
    return "(" + joiner.join(to_tsquery(item) for item in node.items) + ")"


def to_fts5(node) -> str:
    if isinstance(node, Term):
        return f'"{_safe(node.text)}"' + ("*" if node.prefix else "")
    joiner = " AND " if isinstance(node, All) else " OR "
    return "(" + joiner.join(to_fts5(item) for item in node.items) + ")"
