"""Marking the matched words in a result's text, whatever its width, case or accents."""

from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .normalize import fold

SNIPPET_CHARS = 120


# Folding one character at a time costs three Unicode normalizations each: a page of twenty
# results folded about 20,000 characters, a tenth of the whole search's time.
_fold_char = lru_cache(maxsize=8192)(fold)


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, where it came from in `text`."""
    folded, origin = [], []
    for index, char in enumerate(text):
        for piece in _fold_char(char):
            folded.append(piece)
            origin.append(index)
    return "".join(folded), origin


def spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    folded, origin = _folded_with_positions(text)
    marked = [False] * len(text)
    for word in words:
        if len(word) < 2 and word.isascii():
            continue
        start = folded.find(word)
        while start != -1:
            for position in range(start, start + len(word)):
                marked[origin[position]] = True
            start = folded.find(word, start + len(word))
    result, start = [], None
    for index, flag in enumerate([*marked, False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            result.append((start, index))
            start = None
    return result


def highlight(text: str, words: list[str]) -> str:
    """`text` escaped, with <mark> around every occurrence of the words."""
    text = text or ""
    out, last = [], 0
    for start, end in spans(text, words):
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def snippet(text: str, words: list[str]) -> str:
    """A short excerpt around the first match (or the start), highlighted."""
    text = text or ""
    found = spans(text, words)
    start = max(0, found[0][0] - SNIPPET_CHARS // 3) if found else 0
    excerpt = text[start : start + SNIPPET_CHARS]
    prefix = "…" if start else ""
    suffix = "…" if start + SNIPPET_CHARS < len(text) else ""
    return mark_safe(escape(prefix) + highlight(excerpt, words) + escape(suffix))  # noqa: S308
