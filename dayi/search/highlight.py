"""Marking the matched words in a result's text, whatever its width, case or accents."""

from html import escape

from django.utils.safestring import mark_safe

from .normalize import fold

SNIPPET_CHARS = 120


class _Folds(dict):
    """Each character's fold, computed the first time it is met; str.translate then looks
    the characters up in C. Folding a page's twenty results one character at a time in
    Python, each fold cached, cost 1.7–2.5 ms a page; this 0.8–1.3."""

    def __missing__(self, code: int) -> str:
        folded = fold(chr(code))
        if len(folded) != 1:
            # Before the fold is stored: a text that finds it stored must find it here too.
            _UNEVEN.add(chr(code))
        self[code] = folded
        return folded


_FOLDS = _Folds()
# The characters that fold to several (㎎ → mg) or to none (a combining accent): only a text
# holding one of them needs a map from its folded characters back to its own.
_UNEVEN: set[str] = set()


def _folded_with_positions(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, for each of its characters, where it came from in `text` (None:
    each from the same place)."""
    folded = text.translate(_FOLDS)
    if _UNEVEN.isdisjoint(text):
        return folded, None
    origin = []
    for index, char in enumerate(text):
        origin.extend([index] * len(_FOLDS[ord(char)]))
    return folded, origin


def spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the words occur in `text`, as [start, end) of its own characters, merged where
    they overlap or touch."""
    folded, origin = _folded_with_positions(text)
    found = []
    for word in words:
        if len(word) < 2 and word.isascii():
            continue
        start = folded.find(word)
        while start != -1:
            end = start + len(word)
            found.append((start, end) if origin is None else (origin[start], origin[end - 1] + 1))
            start = folded.find(word, end)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


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
