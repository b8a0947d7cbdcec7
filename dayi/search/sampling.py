"""The facet counts of a broad query, estimated from a fixed sample of the catalogue.

Counting every match of 分析仪器 (66,000 of 100,000 instruments) costs far more than a page
may, and the first 5,000 matches the index happens to return are no sample at all: they
follow the order the documents were written in (class by class), so they held 4 of the
query's 12 categories and left out the largest. Instead every document falls in one of 256
buckets by a hash of its id, and the documents of the first 256 / L buckets are the sample
of level L: one document in L, spread over every class, unit and region alike.

A query first counts its matches in the level-64 sample (the probe, a few milliseconds even
for 分析仪器); a query that the probe shows to be small is counted exactly, as before; a
broad one is counted in the largest sample that stays small, and its counts are multiplied
up and shown as estimates.

On PostgreSQL each sample has its own GIN index, over its documents alone (migration 0010):
a match within a sample then reads posting lists L times shorter. What makes that matter is
the words nearly every document holds (仪器 93,000 of 100,000, 分析 78,000, and the words of
the units' names), whose lists a broad match reads. The probe of TOC分析 took 11 ms through
the full index (with the sample a token of the vector) and 0.4 through its own. SQLite's
catalogues are small: there the sample is the bucket column alone.
"""

BUCKETS = 256
# Each level L: the documents whose bucket is below BUCKETS // L, one in L.
LEVELS = (4, 16, 64, 256)
PROBE = 64
# Count exactly when the probe estimates at most this share of the limit (3,200 of 5,000):
# at that estimate, the chance that more than the limit match is below one in a thousand.
EXACT_SHARE = 0.64
# Otherwise, the largest sample expected to hold at most this share of the limit (2,000).
SAMPLE_SHARE = 0.4
# Knuth's multiplicative hash: its top byte spreads consecutive ids (one unit's import after
# another) evenly over the buckets.
_MULTIPLIER = 2654435761


def bucket(instrument_id: int) -> int:
    """0 … 255, fixed for the life of the instrument. Migration 0008 computes the same in SQL."""
    return ((instrument_id * _MULTIPLIER) % 2**32) >> 24


def below(level: int) -> int:
    """The documents of sample `level` are those whose bucket is below this."""
    return BUCKETS // level


def level_for(probed: int, limit: int) -> int:
    """1 (count every match) or the sample level to count, from the matches in the probe."""
    estimate = probed * PROBE
    if estimate <= limit * EXACT_SHARE:
        return 1
    for level in LEVELS:
        if estimate / level <= limit * SAMPLE_SHARE:
            return level
    return LEVELS[-1]


def estimate(counted: int, level: int) -> int:
    """What `counted` matches in sample `level` stand for, to two significant figures: the
    estimate of a share of 10 % from 1,000 sampled matches is itself ±10 %."""
    if level == 1 or counted == 0:
        return counted
    scaled = counted * level
    step = 10 ** max(len(str(scaled)) - 2, 0)
    return round(scaled / step) * step
