"""Text normalization shared by the index and the query: what a person types and what a record
says must come out as the same tokens.

Pure functions; the only state is the word segmenter, loaded once per process from the
project's own files (jieba's bundled dictionary plus data/words.txt), so that documents and
queries are always cut the same way.
"""

import logging
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba
from pypinyin import Style, lazy_pinyin

WORDS_FILE = Path(__file__).parent / "data" / "words.txt"

# Han ideographs (basic block and extension A) and the compatibility block that NFKC leaves alone.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_HAN}]+|[a-z0-9]+")
_HAN_RUN = re.compile(rf"^[{_HAN}]+$")
_ALPHA_DIGIT = re.compile(r"[a-z]+|[0-9]+")
# A Latin phrase: words joined by spaces or the marks that model numbers and acronyms use.
_LATIN_PHRASE = re.compile(r"[a-z0-9]+(?:[\s\-‐–_/.·+]+[a-z0-9]+)*")
MAX_COMPACT_WORDS = 4


def fold(text: str) -> str:
    """Full-width to half-width, case folded, diacritics removed: 'ＴＯＣ' → 'toc', 'ÄKTA' → 'akta'."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def compact(text: str) -> str:
    """Letters and digits only: 'ICP-OES', 'Icp Oes', 'icpoes' → 'icpoes'; 'vario EL' → 'varioel'."""
    return "".join(_RUN.findall(fold(text)))


def is_han(token: str) -> bool:
    return bool(_HAN_RUN.match(token))


def runs(text: str) -> list[str]:
    """Han and Latin runs of folded text: 'TOC分析' → ['toc', '分析']; punctuation separates."""
    return _RUN.findall(fold(text))


@lru_cache(maxsize=1)
def _segmenter() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        word = fold(line.strip())
        if word and not word.startswith("#"):
            tokenizer.add_word(word, freq=tokenizer.suggest_freq(word, tune=False) + 1000)
    return tokenizer


def warm_up() -> None:
    """Load the segmenter (about a second) before it is first needed."""
    _segmenter()


def words(han: str) -> list[str]:
    """The words of a Han run, precise mode: '原子吸收光谱仪' → ['原子吸收', '光谱仪']."""
    return [w for w in _segmenter().cut(han, HMM=False) if w.strip()]


def search_words(han: str) -> list[str]:
    """Search mode: the words and the dictionary words inside long ones, as an index needs."""
    return [w for w in _segmenter().cut_for_search(han, HMM=False) if w.strip()]


def inner_words(word: str) -> list[str]:
    """The dictionary words that search mode adds inside `word` when it cuts `word` out of a
    text: so a document holding the token `word` always holds these too. jieba's
    cut_for_search adds the two- and three-character dictionary words inside every word it
    cuts; it offers no function for one word, hence this mirror of its rule."""
    known = _segmenter().FREQ
    found = []
    for size in (2, 3):
        if len(word) > size:
            found.extend(word[i : i + size] for i in range(len(word) - size + 1) if known.get(word[i : i + size]))
    return found


def latin_tokens(run: str) -> list[str]:
    """A Latin run and its letter and digit parts: 'su8010' → ['su8010', 'su', '8010']."""
    parts = _ALPHA_DIGIT.findall(run)
    return [run, *parts] if len(parts) > 1 else [run]


def latin_compacts(text: str) -> list[str]:
    """Each Latin phrase of 2–4 words written as one: 'ICP-OES' → 'icpoes', 'vario EL cube' →
    'varioelcube', so that people who type model numbers and acronyms without their spaces
    and hyphens find them."""
    found = []
    for phrase in _LATIN_PHRASE.findall(fold(text)):
        parts = _RUN.findall(phrase)
        if 1 < len(parts) <= MAX_COMPACT_WORDS:
            found.append("".join(parts))
    return found


# Names, makers, classes and whole descriptions repeat across a catalogue (one 扫描电镜 per
# unit): remembering their tokens made rebuilding the index several times faster.
CACHED_TEXTS = 50_000


def tokens(text: str) -> list[str]:
    """The index tokens of a text: search-mode words of its Han runs, Latin runs with their
    letter/digit parts, and the compacted Latin phrases. 'TOC分析' → ['toc', '分析']."""
    return list(_tokens(text or ""))


@lru_cache(maxsize=CACHED_TEXTS)
def _tokens(text: str) -> tuple[str, ...]:
    result = []
    for run in runs(text):
        result.extend(search_words(run) if is_han(run) else latin_tokens(run))
    result.extend(latin_compacts(text))
    return tuple(result)


def pinyin_tokens(name: str) -> list[str]:
    """Pinyin of a Chinese name as people type it: each word ('yuanzi', 'xishou'), the full pinyin
    and the initials from each word on ('yuanzixishouguangpuyi', 'yzxsgpy', 'xishouguangpuyi' …),
    so that 'yuanzi xishou', 'yuanzixishou' and 'yzxs' all find 原子吸收光谱仪."""
    return list(_pinyin_tokens(name or ""))


@lru_cache(maxsize=CACHED_TEXTS)
def _pinyin_tokens(name: str) -> tuple[str, ...]:
    result = []
    for run in runs(name):
        if not is_han(run):
            continue
        pieces = words(run)
        full = ["".join(lazy_pinyin(w)) for w in pieces]
        initials = ["".join(lazy_pinyin(w, style=Style.FIRST_LETTER)) for w in pieces]
        result.extend("".join(lazy_pinyin(w)) for w in search_words(run))
        for start in range(len(pieces)):
            result.append("".join(full[start:]))
            result.append("".join(initials[start:]))
    return tuple(t for t in dict.fromkeys(result) if t.isascii() and t.isalnum())
