"""What tests may ask of each annotated set (the `annotated_set` fixture's names).

The saved queries' defaults name actors of the gold corpus ("North Korea", "Linda
Thomas-Greenfield"); run on the constructed set (tests/data/constructed) they take these
parameters instead, actors its annotations hold.
"""

from __future__ import annotations

#: The annotated sets, in the order tests run on them: the gold dev corpus (beside the
#: repository), the constructed set (inside it).
ANNOTATED_SETS = ("gold", "constructed")
#: One article of each set, for tests that build a single article.
SAMPLE_ARTICLE = {
    "gold": "seed-nk-dialogue.json",
    "constructed": "guyana-statement-venezuela-naval-incursion-2025.json",
}

SAVED_QUERY_PARAMS: dict[str, dict[str, dict[str, str]]] = {
    "gold": {},
    "constructed": {
        "actor-record": {"actor_name": "Tor-Arne Vinding"},
        "actor-relations": {"actor_name": "Israel"},
        "hostility-between": {"country_a": "India", "country_b": "Pakistan"},
        "posts-of": {"person": "Halvard Lindqvist"},
    },
}

#: Saved queries that rightly answer nothing on a set: no act is reported by two articles
#: of either set (the dev corpus's repeated relations are years apart, or undated reports
#: months apart: other happenings), so nothing is corroborated.
EMPTY_SAVED_QUERIES: dict[str, set[str]] = {"gold": {"corroborated"}, "constructed": {"corroborated"}}


def saved_query_params(annotated_set: str, query: str) -> dict[str, str]:
    """Return the parameters that make saved query `query` ask about actors of the set."""
    return SAVED_QUERY_PARAMS[annotated_set].get(query, {})
