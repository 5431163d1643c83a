"""Wire-copy datelines, hidden from the parser.

Agency copy opens its first paragraph with where (and often when and through whom) it was
filed: "JAKARTA, March 11 (Pacific Wire) - Indonesian President ...", "WASHINGTON (AP) —
...", "OTTAWA - Canada imposed ...". The parser reads the city as the sentence's subject
or glues it to the next name ("OTTAWA - Canada" as one organization), and the sentence's
relations and titles are lost. The dateline is replaced by as many spaces before parsing,
so every character offset still points into the article's own text.
"""

from __future__ import annotations

import re

#: A dateline at the start of a paragraph: a city in capitals (up to four words, as
#: "ADDIS ABABA", "ST. PETERSBURG"), optionally a comma and a date or place, optionally an
#: agency in brackets, then a dash between spaces (or straight after the bracket).
_DATELINE = re.compile(
    r"^(?P<line>[ \t]*(?P<place>[A-Z][A-Z'.\-]*[A-Z.](?:[ ][A-Z][A-Z'.\-]*[A-Z.]){0,3})"
    r"(?:,[ ][^\n()\-–—]{1,40}?)?"
    r"(?:[ ]?\([^()\n]{1,40}\))?"
    r"[ ]*(?:-{1,2}|–|—)[ ]+)(?=\S)",
    re.MULTILINE,
)


def mask_datelines(text: str) -> str:
    """Return `text` with each paragraph's opening dateline replaced by spaces (same length).

    A paragraph that opens with an actor's name in capitals ("NATO - the alliance said")
    keeps it: a gazetteer name or alias is no city of filing.
    """
    from .lexicon import gazetteer

    known = gazetteer()

    def masked(match: re.Match[str]) -> str:
        if known.lookup(match.group("place").strip()) is not None:
            return match.group(0)
        return " " * len(match.group("line"))

    return _DATELINE.sub(masked, text)
