"""From what a person typed to an expression over index tokens.

The query is folded and cut into words (Latin runs whole, Han runs by the segmenter). Spans of
words that the synonym dictionary knows become a choice between the words and their
expansions; adjacent Latin words may also be one compacted token ('vario EL' → varioel*).
Every word then becomes the tokens the index really holds: the word itself, its dictionary
sub-words, a prefix, or (Latin) the nearest spellings. A word nothing in the index contains
is dropped rather than allowed to make the whole query fail.
"""

from dataclasses import dataclass, field

from . import normalize
from .expressions import Term, all_of, any_of, simplified, terms
from .synonyms import dictionary
from .vocabulary import Vocabulary

MAX_QUERY_CHARS = 200
MAX_WORDS = 12
MAX_SPAN = 4
MIN_PREFIX = 2
MIN_FUZZY = 4


@dataclass
class ParsedQuery:
    text: str
    # Every alternative the words may stand for: what ranking scores.
    expression: object = None
    # The same documents in fewer terms: what the index is asked to match.
    matching: object = None
    highlights: list[str] = field(default_factory=list)
    # The typed words in spans, each with what the dictionary says it stands for.
    spans: list[tuple[list[str], list[str]]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Nothing searchable was typed (empty, spaces, punctuation, emoji): show everything."""
        return not self.text

    @property
    def matches_nothing(self) -> bool:
        return bool(self.text) and self.expression is None


def query_words(text: str, *, typing: bool = False) -> list[str]:
    """The typed words. Single Han characters left over by the segmenter (测, 做, 的 …) are
    verbs and particles far more often than names, so they are dropped unless nothing else
    was typed, or (`typing`, for suggestions) the last one is the start of a word."""
    result = []
    for run in normalize.runs(text[:MAX_QUERY_CHARS]):
        result.extend(normalize.words(run) if normalize.is_han(run) else [run])
    last = len(result) - 1
    meaningful = [
        w for i, w in enumerate(result) if not (len(w) == 1 and normalize.is_han(w)) or (typing and i == last)
    ]
    return (meaningful or result)[:MAX_WORDS]


class _Builder:
    def __init__(self, autocomplete: bool):
        self.vocabulary = Vocabulary()
        self.autocomplete = autocomplete

    def word(self, word: str, *, last: bool = False):
        """The index tokens for one typed word, or None when the index has nothing like it."""
        vocabulary = self.vocabulary
        options = []
        if vocabulary.knows(word):
            options.append(Term(word))
        wants_prefix = (last and self.autocomplete) or not options
        # While typing, one character is already a prefix: 原 offers 原子吸收光谱仪.
        shortest = 1 if last and self.autocomplete else MIN_PREFIX
        if wants_prefix and len(word) >= shortest and vocabulary.has_prefix(word):
            options.append(Term(word, prefix=True))
        if normalize.is_han(word) and len(word) > 1:
            pieces = [p for p in normalize.search_words(word) if p != word]
            vocabulary.learn(pieces)
            if pieces and all(vocabulary.knows(p) for p in pieces):
                options.append(all_of(Term(p) for p in pieces))
        elif not options and len(word) >= MIN_FUZZY and word.isalpha():
            options.extend(Term(w) for w in vocabulary.similar(word))
        return any_of(options)

    def phrase(self, text: str):
        """An expansion from the dictionary: all of its words, or None if one is missing."""
        words = query_words(text)
        if not words:
            return None
        whole = normalize.compact(text)
        alternatives = []
        if len(words) > 1 and self.vocabulary.knows(whole):
            alternatives.append(Term(whole))
        parts = [self.word(w) for w in words]
        if all(p is not None for p in parts):
            alternatives.append(all_of(parts))
        return any_of(alternatives)

    def span(self, words: list[str], expansions: list[str], *, last: bool):
        plain = [self.word(w, last=last and i == len(words) - 1) for i, w in enumerate(words)]
        options = [self.phrase(e) for e in expansions]
        options.append(all_of(plain))
        whole = "".join(words)
        if len(words) > 1 and all(w.isascii() for w in words):
            if self.vocabulary.knows(whole):
                options.append(Term(whole))
            elif self.vocabulary.has_prefix(whole):
                options.append(Term(whole, prefix=True))
        return any_of(options)


def _spans(words: list[str], synonyms: dict) -> list[tuple[list[str], list[str]]]:
    """Split the words into spans, greedily taking the longest one the dictionary knows;
    adjacent Latin words are kept together so that they may also match as one token."""
    spans, i = [], 0
    while i < len(words):
        for length in range(min(MAX_SPAN, len(words) - i), 0, -1):
            key = "".join(words[i : i + length])
            if key in synonyms:
                spans.append((words[i : i + length], synonyms[key]))
                i += length
                break
        else:
            length = 1
            while i + length < len(words) and length < MAX_SPAN and words[i + length].isascii() and words[i].isascii():
                if "".join(words[i : i + length + 1]) in synonyms:
                    break
                length += 1
            spans.append((words[i : i + length], []))
            i += length
    return spans


def _words_to_look_up(words: list[str], spans) -> set[str]:
    """Every token the parse will ask the vocabulary about, so that one query answers them
    all: the words, those of every expansion (and the expansion compacted), and the
    dictionary pieces of Han words. 紫外 asked 13 queries one by one."""
    found = set(words)
    for _words, expansions in spans:
        for expansion in expansions:
            found.update(query_words(expansion))
            found.add(normalize.compact(expansion))
    for word in list(found):
        if normalize.is_han(word) and len(word) > 1:
            found.update(normalize.search_words(word))
    return found


def name_choices(parsed: ParsedQuery) -> list[list[list[str]]]:
    """The typed words for matching short names without the index (units, themes): per span
    of the words, the ways it may appear in a name, as words that must all be there: its own
    words, or those of one of its dictionary expansions (淮工 → 淮阴工学院)."""
    return [
        [span, *(option for option in (query_words(e) for e in expansions) if option)]
        for span, expansions in parsed.spans
    ]


def _inner_terms(term: Term) -> list[Term]:
    return [Term(w) for w in normalize.inner_words(term.text)] if normalize.is_han(term.text) else []


def parse(text: str, *, autocomplete: bool = False) -> ParsedQuery:
    words = query_words(text or "", typing=autocomplete)
    parsed = ParsedQuery(text=" ".join(words))
    if not words:
        return parsed
    builder = _Builder(autocomplete)
    spans = parsed.spans = _spans(words, dictionary())
    builder.vocabulary.learn(_words_to_look_up(words, spans))
    groups = [builder.span(w, e, last=n == len(spans) - 1) for n, (w, e) in enumerate(spans)]
    parsed.expression = all_of(groups)
    if parsed.expression is not None:
        parsed.matching = simplified(parsed.expression, _inner_terms)
        parsed.highlights = sorted({t.text for t in terms(parsed.expression)}, key=len, reverse=True)
    return parsed
