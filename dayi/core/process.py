"""What a web process does once, after Django is set up and before its first request."""

import gc


def prepare_web_process() -> None:
    """Load the word segmenter now rather than on a visitor's first search (about a second),
    then move everything loaded so far out of the garbage collector's sight. A full collection
    walks every object of Django, jieba and the apps: 70 ms measured, striking one search in a
    few dozen and setting the search's p95. Objects made later are collected as usual."""
    from dayi.search.normalize import warm_up

    warm_up()
    gc.freeze()
