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
