"""Coreference good enough for news: mentions that name an actor without its name.

- A capital in an actor's place stands for its government ("Pyongyang's provocations",
  "Moscow warned"), but not where it is a place ("talks in Moscow").
- "the country", "the government", "the regime" stand for the last country named;
  "the Council", "the Agency" for the last organization whose name ends that way.
- he/she/his/her stand for the nearest person before them in subject position;
  it/its for the nearest country or organization subject; official "we"/"our" for the
  nearest country or organization subject, else for the government that issued the text
  (its publisher).

Each link becomes a Mention with the rule that made it, so the extraction can show a
reviewer which words were read as which actor, and why.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from . import lexicon
from .actors import NOT_A_NAME, DocumentActors, Mention
from .syntax import doc_index

_ENTITY_WORDS = lexicon.entity_words()  # word sets documented in data/entities.json
_PLACE_PREPS = {
    "in",
    "at",
    "to",
    "from",
    "near",
    "into",
    "across",
    "outside",
    "inside",
    "around",
    "through",
    "via",
    "toward",
    "towards",
    "between",
    "of",
}
_ARGUMENT_DEPS = {"nsubj", "nsubjpass", "poss", "dobj", "agent", "pobj"}
_WORDS = lexicon.load_data("entities.json")
_COUNTRY_NOUNS = frozenset(_WORDS["country_nouns"])
_ORGANIZATION_NOUNS = frozenset(_WORDS["organization_nouns"])
_PRONOUNS = {word: tuple(types) for word, types in _WORDS["pronouns"].items()}
_OFFICIAL_WE = frozenset(_WORDS["official_we"])
_COLLECTIVE = frozenset(_WORDS["collective_nouns"])
_COLLECTIVE_DETERMINERS = frozenset(_WORDS["collective_determiners"])
_PARTIES = _ENTITY_WORDS["party_nouns"]
_PEOPLE_TOGETHER = frozenset(_WORDS["people_together"])
_PAIRS = frozenset(_WORDS["pair_nouns"])
_GROUP_GLUE = {",", "and", "(", ")", "the", "as", "well"}
_WINDOW = 250  # tokens back that an antecedent may be
_FIRST_PERSON = {"i", "my", "me"}
_HALVES = _ENTITY_WORDS["halves"]  # "the North": North Korea (or Sudan) once the text has named it
#: A heading that names whose words follow: "Statement by Secretary Kerry on ...".
_BYLINE = re.compile(
    r"^\W*(?:press\s+)?(?:statement|remarks|readout|op-ed|message|letter|address)\b"
    r"[^\n]{0,80}?\bby\b",
    re.IGNORECASE,
)


def add_descriptions(doc: Doc, found: DocumentActors) -> None:
    """Add mentions for capitals and definite descriptions ("the bloc", "the resolution").

    Runs before roles are read, so that "the bloc's foreign policy chief" has a bloc.
    """
    _add(doc, found, None, pronouns=False)


def add_pronouns(
    doc: Doc, found: DocumentActors, publisher_actor: str | None, author: Mention | None = None
) -> None:
    """Add mentions for pronouns and collective nouns; runs after roles and title coreference.

    `author` is the person a statement says it is by (`statement_author`): its "I".
    """
    _add(doc, found, publisher_actor, pronouns=True, author=author)


def _add(
    doc: Doc,
    found: DocumentActors,
    publisher_actor: str | None,
    pronouns: bool,
    author: Mention | None = None,
) -> None:
    gazetteer = lexicon.gazetteer()
    genders = _genders(doc, found) if pronouns else {}
    for token in doc:
        existing = found.at(token.i)
        if (
            not pronouns
            and token.text in _HALVES
            and token.i > 0
            and doc[token.i - 1].lower_ == "the"
            and (existing is None or (existing.end - existing.start == 1 and existing.type == "Location"))
        ):
            half = _half_named(found, token)
            if half is not None:
                if existing is None:
                    found.add(Mention(token.i, token.i + 1, half.name, half.type, token.text, "short-form"))
                else:
                    existing.name, existing.type, existing.rule = half.name, half.type, "short-form"
                continue
        if existing is not None:
            if (
                existing.start == token.i
                and existing.type == "Location"
                and existing.surface in gazetteer.capitals
            ):
                _capital_in_place(doc, found, existing, gazetteer)
            continue
        word = token.lower_
        mention = None
        if not pronouns:
            if token.text in gazetteer.capitals or _capital_entity(token, gazetteer):
                mention = _capital(doc, token, gazetteer)
            elif word == "government" and token.dep_ == "compound" and token.head.lemma_.lower() in _ARMED:
                mention = _governments_forces(doc, found, token)
            elif any(
                c.dep_ == "acl" and c.lemma_.lower() in ("know", "call", "name") for c in token.children
            ):
                pass  # "the armed group known as the M23" names itself
            elif (
                word in _COUNTRY_NOUNS
                or word in _ORGANIZATION_NOUNS
                or (token.is_title and token.pos_ == "PROPN")
            ):
                mention = _definite(doc, found, token)
            elif token.pos_ == "NOUN" and token.dep_ in ("nsubj", "nsubjpass"):
                mention = _owned_before(doc, found, token)

            if mention is not None:
                found.add(mention)
            continue
        if (
            word in _OFFICIAL_WE
            and token.text != "US"
            and publisher_actor
            and not doc_index(doc).in_quote(token.i)
        ):
            # The voice of a statement: outside quotation marks, its "we" is its issuer.
            mention = Mention(
                token.i,
                token.i + 1,
                publisher_actor,
                found.types.get(publisher_actor, "Country"),
                token.text,
                "issuer-we",
            )
        elif word in _FIRST_PERSON and author is not None and not doc_index(doc).in_quote(token.i):
            mention = Mention(token.i, token.i + 1, author.name, author.type, token.text, "author-i")
        elif word in _FIRST_PERSON | {"we"} and token.dep_ == "nsubj" and doc_index(doc).in_quote(token.i):
            mention = _quoted_speaker(doc, found, token)
        elif word in _PRONOUNS and token.text != "US" and _referring_it(token):
            mention = _antecedent(
                doc, found, token, _PRONOUNS[word], "pronoun", _PRONOUN_GENDER.get(word), genders
            )
            if mention is None and word in _OFFICIAL_WE and publisher_actor:
                mention = Mention(
                    token.i,
                    token.i + 1,
                    publisher_actor,
                    found.types.get(publisher_actor, "Country"),
                    token.text,
                    "issuer-we",
                )
        if mention is None and word == "members" and token.dep_ == "nsubj":
            mention = _members_of(doc, found, token)
        if mention is None and word == "they" and token.dep_ == "nsubj":
            mention = _they(found, token)
            pair = _named_together(doc, found, token) if mention is None else []
            if pair:  # "congratulates A and B for the agreements they announced"
                found.groups[token.i] = pair
        if mention is not None:
            found.add(mention)
        elif word in _COLLECTIVE:
            group = _collective(doc, found, token)
            if group:
                found.groups[token.i] = group


_SPEECH = _ENTITY_WORDS["quotation_verbs"]


def _quoted_speaker(doc: Doc, found: DocumentActors, token: Token) -> Mention | None:
    """Return the person whose quotation an "I" or "we" subject is in.

    '"... we will take action to deter North Korea," Abe said': the speaker named, outside
    the quotation marks, as the subject of the verb of saying the quotation hangs from.
    """
    quotes = doc_index(doc)
    node = token
    while node.head.i != node.i:
        node = node.head
        if node.lemma_.lower() in _SPEECH and not quotes.in_quote(node.i):
            for child in node.children:
                speaker = found.at(child.i) if child.dep_ == "nsubj" else None
                if speaker is not None and speaker.type == "Person" and not quotes.in_quote(child.i):
                    return Mention(token.i, token.i + 1, speaker.name, "Person", token.text, "speaker")
            return None
    return None


def _they(found: DocumentActors, token: Token) -> Mention | None:
    """Return the group "they" is when the sentence's own subject is one.

    "The Tigray rebel group is hesitant because they accuse Eritrean troops": a body
    spoken of in the plural. Only an organization or group that is the subject of an
    earlier clause of the same sentence; anything else is left alone.
    """
    for mention in found.before(token.i, token.i - token.sent.start):
        head = token.doc[mention.end - 1]
        if head.dep_ not in ("nsubj", "nsubjpass"):
            continue
        if mention.type in ("Organization", "Group"):
            return Mention(token.i, token.i + 1, mention.name, mention.type, token.text, "pronoun")
        return None
    return None


def _named_together(doc: Doc, found: DocumentActors, token: Token) -> list[Mention]:
    """Return the actors joined by "and" just before a "they" of the same sentence.

    "The Secretary-General congratulates the Government of Colombia and the National
    Liberation Army for the agreements they announced": the two just named.
    """
    before = sorted(
        (
            m
            for m in found.before(token.i, token.i - token.sent.start)
            if m.type in ("Country", "Organization", "Person", "Group")
        ),
        key=lambda m: m.start,
    )
    for first, second in zip(before[-2::-1], before[:0:-1]):
        between = doc[first.end : second.start]
        if (
            first.name != second.name
            and any(t.lower_ == "and" for t in between)
            and all(t.lower_ in _GROUP_GLUE or t.pos_ in ("DET", "PUNCT") for t in between)
        ):
            return [first, second]
    return []


def _members_of(doc: Doc, found: DocumentActors, token: Token) -> Mention | None:
    """Return the council "members" act for, when it is the one the sentence names.

    "Read out by the Council President, members demanded that ...": bare "members",
    or "Council members", in a sentence that names a council, are that council.
    """
    if any(c.dep_ in ("prep", "amod", "poss", "nummod", "det") for c in token.children):
        return None  # "members of parliament", "Hamas members", "some members"
    sentence = range(token.sent.start, token.i)
    if not any(doc[i].lower_ == "council" for i in sentence):
        return None
    for mention in found.before(token.i, _WINDOW):
        if mention.type == "Organization" and "Council" in mention.name and mention.name != "Council":
            return Mention(token.i, token.i + 1, mention.name, mention.type, token.text, "members")
    return None


def _half_named(found: DocumentActors, token: Token) -> Mention | None:
    """Return the country "the North"/"the South" stands for: the last one named "North ..."."""
    prefix = token.text + " "
    return next(
        (m for m in found.before(token.i, _WINDOW * 4) if m.type == "Country" and m.name.startswith(prefix)),
        None,
    )


def statement_author(doc: Doc, found: DocumentActors) -> Mention | None:
    """Return the person a statement says it is by, if it says so.

    Its heading names them ("Statement by Secretary Kerry on ..."), or a signature line
    near the top is a title and a name alone ("Ambassador Nikki Haley").
    """
    titles = lexicon.titles()
    for k, sent in enumerate(doc.sents):
        if k > 3:
            break
        if k == 0 and _BYLINE.match(sent.text):
            by = next(t.i for t in sent if t.lower_ == "by")
            named = [
                m
                for m in found.before(sent.end, len(sent))
                if m.start > by and m.type == "Person" and m.rule not in NOT_A_NAME
            ]
            if named:
                return min(named, key=lambda m: m.start)
        words = [t for t in sent if not (t.is_space or t.is_punct)]
        people = {m.name: m for t in words for m in [found.at(t.i)] if m is not None and m.type == "Person"}
        rest = [t for t in words if found.at(t.i) is None]
        if (
            len(people) == 1
            and len(words) <= 6
            and rest
            and all(t.lower_ in titles.all_words or t.lower_ in titles.honorifics for t in rest)
        ):
            return next(iter(people.values()))
    return None


def _collective(doc: Doc, found: DocumentActors, token: Token) -> list[Mention]:
    """Return the actors "these allies" or "both parties" refer back to.

    They are the last group of two or more countries or organizations written together
    ("Japan, South Korea and America"); failing that, for "both"/"two", the last two
    countries named.
    """
    if any(c.dep_ == "prep" and c.lower_ in ("between", "with") for c in token.children):
        return []  # "the agreement between A and B" names its parties itself
    determiners = {c.lower_ for c in token.children if c.dep_ in ("det", "nummod", "predet")}
    determiners |= {"two"} if any(c.dep_ == "nummod" and c.like_num for c in token.children) else set()
    if token.lower_ in _PAIRS and "the" in determiners:
        determiners.add("two")  # "talks between the bitter rivals": a pair by nature
    if "all" in determiners and token.lower_ in ("states", "countries", "nations", "governments"):
        return []  # "called on all States": every state, not the ones just named
    if not determiners & _COLLECTIVE_DETERMINERS or any(
        c.dep_ in ("amod", "compound", "poss") and found.at(c.i) for c in token.children
    ):
        return []
    # Not the subjects of the clause itself: "A and B welcomed the deal" is not between A and B.
    own = {t.i for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    if token.head.dep_ == "relcl":  # "Turkish minister X, who had met both leaders": not Turkey
        own |= {t.i for t in token.head.head.subtree if t.i < token.head.i}
    # Candidates are people: "Dr. Abdullah Abdullah and Dr. Ashraf Ghani ... the candidates".
    kinds = ("Person",) if token.lower_ in _PEOPLE_TOGETHER else ("Country", "Organization")
    before = [
        m
        for m in found.before(token.i, _WINDOW)
        if m.start not in own and m.type in kinds and m.rule not in NOT_A_NAME
    ][::-1]
    groups: list[list[Mention]] = []
    for mention in before:
        gap = range(groups[-1][-1].end, mention.start) if groups else range(0)
        joined = (
            groups
            and all(doc[i].lower_ in _GROUP_GLUE for i in gap)
            and (any(doc[i].lower_ in (",", "and") for i in gap) or mention.name == groups[-1][-1].name)
        )  # "the Congo (DRC)": one actor twice
        if joined:
            groups[-1].append(mention)
        else:
            groups.append([mention])

    def between(group: list[Mention]) -> bool:
        first = group[0].start
        return any(doc[i].lower_ == "between" for i in range(max(0, first - 2), first))

    # The parties or sides of something are those it was between ("the agreement between
    # the DRC and Rwanda"), if the text said so; allies and countries, any group.
    if token.lower_ in _PARTIES:
        # Parties are those something was "between", else countries named together; an
        # agreement is never between any group of organizations that happens to precede it.
        candidates = [g for g in groups if between(g)] or [
            g for g in groups if all(m.type == "Country" for m in g)
        ]
    else:
        candidates = groups
    last: list[Mention] = []
    if determiners & {"both", "two"}:
        for mention in reversed(before):
            if mention.type == "Country" and mention.name not in [m.name for m in last]:
                last.append(mention)
            if len(last) == 2:
                break
        last = last[::-1] if len(last) == 2 else []
    for group in reversed(candidates):
        names = list(dict.fromkeys(m.name for m in group))
        if len(names) >= 2:
            if last and last[0].start > group[-1].end:
                break  # "both"/"two" are the two named since, not an older pair
            return [next(m for m in group if m.name == n) for n in names]
    if len(last) == 2 and kinds != ("Person",):
        # "relations between the two countries ... signed by both countries": the pair an
        # earlier "two"/"both" stood for, unless a newer one came from somewhere else.
        earlier = next(
            (
                g
                for i, g in sorted(found.groups.items(), reverse=True)
                if i < token.i and len(g) == 2 and all(m.type == "Country" for m in g)
            ),
            None,
        )
        if (
            earlier is not None
            and {m.name for m in earlier} != {m.name for m in last}
            and any(m.name in {e.name for e in earlier} for m in last)
        ):
            return earlier
    if not last and token.lower_ in ("sides", "parties"):
        last = _named_next(doc, found, token)
    return last


def _named_next(doc: Doc, found: DocumentActors, token: Token) -> list[Mention]:
    """Return the two countries a paragraph names after "the sides" when it named none before.

    "The Secretary-General calls on the sides to stop fighting. He will be speaking to
    the President of Azerbaijan and the Prime Minister of Armenia": the sides are those two.
    """
    end = token.i
    while end < len(doc) and "\n\n" not in doc[end].text_with_ws:
        end += 1
    countries: dict[str, Mention] = {}
    for mention in sorted(found.mentions, key=lambda m: m.start):
        if token.i < mention.start <= end and mention.type == "Country" and mention.rule not in NOT_A_NAME:
            countries.setdefault(mention.name, mention)
    return list(countries.values()) if len(countries) == 2 else []


def _capital_in_place(doc: Doc, found: DocumentActors, mention: Mention, gazetteer) -> None:
    """Turn a capital that spaCy tagged as a place into its country where it acts."""
    metonym = _capital(doc, doc[mention.start], gazetteer)
    if metonym is not None and (metonym.start, metonym.end) == (mention.start, mention.end):
        mention.name, mention.type, mention.rule = metonym.name, "Country", metonym.rule
        found.types.setdefault(metonym.name, "Country")


def _capital_entity(token: Token, gazetteer) -> bool:
    """Return True for the first token of a multi-word capital written as one entity."""
    if token.ent_iob_ != "B":
        return False
    ent = doc_index(token.doc).entity_at(token.i)
    return ent is not None and ent.start == token.i and ent.text in gazetteer.capitals


def _capital(doc: Doc, token: Token, gazetteer) -> Mention | None:
    ent = doc_index(doc).entity_at(token.i)
    span = ent if ent is not None and ent.text in gazetteer.capitals else doc[token.i : token.i + 1]
    head = span.root
    if head.dep_ not in _ARGUMENT_DEPS or head.dep_ == "pobj" and head.head.lower_ in _PLACE_PREPS:
        return None
    if head.dep_ == "compound" or any(c.dep_ == "appos" for c in head.children):
        return None  # "Washington, DC" is the city
    country = gazetteer.capitals[span.text]
    return Mention(span.start, span.end, country, "Country", span.text, "capital-metonym")


def _definite(doc: Doc, found: DocumentActors, token: Token) -> Mention | None:
    """Return "the country" -> last country, "the Council" -> last organization ending so."""
    determiners = [c for c in token.children if c.dep_ == "det"]
    if not determiners or determiners[0].lower_ != "the" or token.dep_ == "compound":
        return None

    def describes(c: Token) -> bool:  # "the Tigray rebel group": a kind of group, from a place
        mention = found.at(c.i)
        return mention.type == "Location" if mention is not None else c.pos_ == "NOUN" and c.is_lower

    if any(
        c.dep_ in ("compound", "poss", "nmod") and not describes(c) or (c.dep_ == "amod" and found.at(c.i))
        for c in token.children
    ):
        return None  # "the Iranian regime" is the demonym's business; "regional" is not
    if any(
        c.dep_ == "prep"
        and c.lower_ in ("in", "of")
        and any(p.dep_ == "pobj" and found.at(p.i) is not None for p in c.children)
        for c in token.children
    ):
        return None  # "the transitional government in Mogadishu" says where it governs
    start = token.i - _WINDOW
    if token.lower_ in _COUNTRY_NOUNS:

        def wanted(m: Mention) -> bool:
            return m.type == "Country"
    elif token.lower_ in _ORGANIZATION_NOUNS and not token.is_title:
        # "the agency" is the last organization called an agency, else the last one named
        # Not the outlet someone spoke to: "officials told VOA ... the group invaded".
        named = [
            m
            for m in found.before(token.i, _WINDOW)
            if m.type == "Organization"
            and not (doc[m.end - 1].dep_ in ("dobj", "dative") and doc[m.end - 1].head.lemma_ == "tell")
        ]
        same = [m for m in named if m.name.split()[-1].lower() == token.lower_]
        chosen = (same or named)[:1]
        return (
            Mention(token.i, token.i + 1, chosen[0].name, "Organization", token.text, "definite-description")
            if chosen
            else None
        )
    else:

        def wanted(m: Mention) -> bool:  # "the Council": the last "... Council" named
            words = m.name.split()
            return m.type == "Organization" and len(words) > 1 and words[-1].lower() == token.lower_

    for mention in found.before(token.i, token.i - start):
        if wanted(mention):
            return Mention(
                token.i, token.i + 1, mention.name, mention.type, token.text, "definite-description"
            )
    return None


_ARMED = frozenset(_WORDS["armed_nouns"])


def _governments_forces(doc: Doc, found: DocumentActors, token: Token) -> Mention | None:
    """Return the country whose "government forces" these are: the one the text last named.

    "Ahlu-Sunna Wal-Jamaa ... has also clashed with government forces over control of the
    central Somali town": Somalia's. Forces that carry their own country ("Somali
    government forces") are that country's already.
    """
    if any(found.at(c.i) is not None for c in token.head.children if c.i < token.i) or any(
        found.at(c.i) is not None for c in token.children
    ):
        return None
    country = next((m for m in found.before(token.i, _WINDOW) if m.type == "Country"), None)
    if country is None:
        return None
    return Mention(token.i, token.i + 1, country.name, "Country", token.text, "definite-description")


def _owned_before(doc: Doc, found: DocumentActors, token: Token) -> Mention | None:
    """Return the owner of "the resolution" from an earlier "UN Security Council resolution".

    A definite subject noun with no modifier of its own refers back to the last use of
    the same noun, and acts for the actor that qualified it there.
    """
    determiners = [c.lower_ for c in token.children if c.dep_ == "det"]
    if determiners != ["the"] or any(
        c.dep_ in ("amod", "compound", "poss", "prep") for c in token.children if c.i < token.i
    ):
        return None
    for earlier in reversed(doc[max(0, token.i - _WINDOW) : token.i]):
        if earlier.lemma_ != token.lemma_:
            continue
        for child in earlier.children:
            owner = found.at(child.i) if child.dep_ in ("compound", "poss", "amod") else None
            if owner is not None and owner.type in ("Country", "Organization"):
                return Mention(
                    token.i, token.i + 1, owner.name, owner.type, token.text, "definite-description"
                )
        return None
    return None


def _referring_it(token: Token) -> bool:
    """Return False for a dummy "it" ("it is likely that ..."): only its subject use is checked."""
    if token.lower_ != "it":
        return True
    return (
        token.dep_ in ("nsubj", "nsubjpass")
        and token.head.lemma_ != "be"
        and not any(
            c.dep_ in ("ccomp", "xcomp") and c.i > token.head.i
            for c in token.head.children
            if token.head.lemma_ in ("seem", "appear")
        )
    )


def _genders(doc: Doc, found: DocumentActors) -> dict[str, str]:
    """Return the gender the text itself gives each person it names, where it gives one.

    The cues are an honorific before the name ("Ms. Pierce", "Mr. Martin") and the first
    he/his/him or she/her that follows the person as subject of the same sentence with
    no other person between ("Karen Pierce said ... in her country", "Sergei Skripal and
    his daughter"). A person with cues both ways, or none, has no gender here.
    """
    votes: dict[str, set[str]] = {}
    people = sorted(
        (m for m in found.mentions if m.type == "Person" and m.rule not in NOT_A_NAME), key=lambda m: m.start
    )
    for k, mention in enumerate(people):
        before = doc[mention.start - 1].lower_.rstrip(".") if mention.start > 0 else ""
        if before in _HONORIFIC_GENDER:
            votes.setdefault(mention.name, set()).add(_HONORIFIC_GENDER[before])
        head = doc[mention.end - 1]
        if not (
            head.dep_ in ("nsubj", "nsubjpass")
            or head.head.dep_ in ("nsubj", "nsubjpass")
            and head.dep_ in ("compound", "appos", "conj")
        ):
            continue
        stop = min(head.sent.end, people[k + 1].start if k + 1 < len(people) else len(doc))
        for i in range(mention.end, stop):
            gender = _PRONOUN_GENDER.get(doc[i].lower_)
            if gender and found.at(i) is None:
                votes.setdefault(mention.name, set()).add(gender)
                break
    return {name: next(iter(cues)) for name, cues in votes.items() if len(cues) == 1}


_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_HONORIFIC_GENDER = _ENTITY_WORDS["honorific_gender"]


def _antecedent(
    doc: Doc,
    found: DocumentActors,
    token: Token,
    types: tuple[str, ...],
    rule: str,
    gender: str | None = None,
    genders: dict[str, str] | None = None,
) -> Mention | None:
    """Return a mention for the nearest earlier actor of `types` in subject position.

    A possessive ("commended the US for its leadership") takes the nearest fitting actor
    of its own sentence, whatever its position, before looking further back. A "she"
    never goes to a person the text has made a "he", and the other way round.
    """
    genders = genders or {}
    if token.lower_ == "it" and token.dep_ == "nsubj":
        # "This agreement places trust on the UN as it asks ...": "it" is the subject
        # before it when that is a thing, not the actor named in between.
        subject = next(
            (t for t in reversed(doc[token.sent.start : token.i]) if t.dep_ in ("nsubj", "nsubjpass")), None
        )
        if (
            subject is not None
            and subject.pos_ == "NOUN"
            and found.at(subject.i) is None
            and subject.i not in found.groups
        ):
            return None

    def fits(mention: Mention) -> bool:
        return mention.type in types and (gender is None or genders.get(mention.name, gender) == gender)

    if token.dep_ == "poss" and token.lower_ in ("its", "their"):
        # "condemned the M23 for its attacks on peacekeepers of MONUSCO, condemning its
        # abuses": a sentence's "its" keeps the owner its first "its" had.
        earlier = next(
            (
                found.at(t.i)
                for t in reversed(doc[token.sent.start : token.i])
                if t.lower_ == token.lower_ and t.dep_ == "poss" and found.at(t.i) is not None
            ),
            None,
        )
        if earlier is not None:
            return Mention(token.i, token.i + 1, earlier.name, earlier.type, token.text, rule)
        for mention in found.before(token.i, token.i - token.sent.start):
            if mention.type in types and mention.rule not in NOT_A_NAME:
                return Mention(token.i, token.i + 1, mention.name, mention.type, token.text, rule)
    nearest_in_sentence = None
    for mention in found.before(token.i, _WINDOW):
        if not fits(mention):
            continue
        head = doc[mention.end - 1]
        if (
            head.dep_ in ("nsubj", "nsubjpass")
            or head.head.dep_ in ("nsubj", "nsubjpass")
            and head.dep_ in ("compound", "appos")
        ):
            chosen = mention
            break
        if nearest_in_sentence is None and mention.start >= token.sent.start:
            nearest_in_sentence = mention
    else:
        chosen = None
    # A subject earlier in the text loses to an actor of the pronoun's own sentence
    # whose role the parser misread ("The envoy ..., X, was in Serbia, where he met").
    if nearest_in_sentence is not None and (chosen is None or chosen.start < token.sent.start):
        chosen = nearest_in_sentence
    if chosen is None:
        return None
    return Mention(token.i, token.i + 1, chosen.name, chosen.type, token.text, rule)
