"""Look-ups in the index's vocabulary (SearchTerm): which tokens exist, which start with a
prefix, which are close to a misspelt Latin word."""

from django.db import connection
from rapidfuzz import fuzz, process

from .models import SearchTerm

MIN_RATIO = 80
MAX_EDITS = 2
MAX_CORRECTIONS = 3
TRIGRAM_CANDIDATES = 20


class Vocabulary:
    """One query's look-ups; each distinct question is asked of the database at most once."""

    def __init__(self):
        self._known: set[str] = set()
        self._asked: set[str] = set()
        self._prefixes: dict[str, bool] = {}

    def learn(self, words) -> None:
        wanted = {w for w in words if w not in self._asked}
        if wanted:
            self._asked |= wanted
            self._known |= set(SearchTerm.objects.filter(term__in=wanted).values_list("term", flat=True))

    def knows(self, word: str) -> bool:
        self.learn([word])
        return word in self._known

    def has_prefix(self, word: str) -> bool:
        if word not in self._prefixes:
            self._prefixes[word] = SearchTerm.objects.filter(term__startswith=word).exclude(term=word).exists()
        return self._prefixes[word]

    def similar(self, word: str) -> list[str]:
        """Latin words of the index within a small edit distance of `word`. Candidates come
        from the trigram index on PostgreSQL (same-initial words elsewhere); the edit-distance
        ratio then decides, so that both databases correct alike."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT term FROM search_searchterm WHERE term %% %s ORDER BY similarity(term, %s) DESC LIMIT %s",
                    [word, word, TRIGRAM_CANDIDATES],
                )
                candidates = [row[0] for row in cursor.fetchall()]
        else:
            candidates = SearchTerm.objects.filter(term__startswith=word[0]).values_list("term", flat=True)
        candidates = [c for c in candidates if c.isalpha() and c.isascii() and abs(len(c) - len(word)) <= MAX_EDITS]
        matches = process.extract(word, candidates, scorer=fuzz.ratio, limit=MAX_CORRECTIONS, score_cutoff=MIN_RATIO)
        return [match for match, _score, _index in matches]
