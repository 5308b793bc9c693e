"""Answer text -> words (lower-cased, stop words and numbers removed) -> counts of the most
frequent terms; what the summary shows as a question's themes."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

# Common English function words, plus words every answer about planning uses and which say
# nothing about its theme. Compared after lower-casing; apostrophes are folded to '.
_STOP_TEXT = """
a about above after again against all almost also although always am among an and another
any anyone anything are aren't around as at be because been before being below between both
but by can can't cannot could couldn't did didn't do does doesn't doing don't done down
during each either else enough etc even ever every few for from further get gets getting
give given go goes going got had hadn't has hasn't have haven't having he her here hers
herself him himself his how however i i'd i'll i'm i've if in into is isn't it it's its
itself just least less let like made make makes many may me might more most much must my
myself need needs neither no nor not now of off often on once one only onto or other others
our ours ourselves out over own per perhaps put quite rather really same see seem seems
several shall she should shouldn't since so some something still such than that that's the
their theirs them themselves then there there's these they they're thing things this those
though through thus to too toward towards under until up upon us use used using very via
was wasn't way we we'd we'll we're we've well were weren't what what's when where whether
which while who whom whose why will with within without won't would wouldn't yet you you'd
you'll you're you've your yours yourself yourselves
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

MIN_LENGTH = 3
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # letters, with inner apostrophes


def tokens(text: str) -> list[str]:
    """The words of `text` that carry meaning, lower-cased, in order."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return [w for w in _WORD.findall(folded)
            if len(w) >= MIN_LENGTH and w not in STOP_WORDS]


def count_terms(texts: Iterable[str], counter: Counter[str] | None = None) -> Counter[str]:
    """Add the tokens of every text to `counter` (a new one if None) and return it."""
    counter = counter if counter is not None else Counter()
    for text in texts:
        counter.update(tokens(text))
    return counter


def top_terms(counter: Counter[str], limit: int = 12) -> list[tuple[str, int]]:
    """The `limit` most frequent terms, most frequent first, ties alphabetical."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
