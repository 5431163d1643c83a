"""Integrity of the bundled gazetteer (graphbuilder/data/gazetteer.json).

The resolver turns every surface form in the gazetteer into one canonical actor with an
owl:sameAs link to Wikidata, so a form claimed by two entries, a malformed code or a
duplicated Wikidata ID would silently merge or split real-world actors. These tests read
the shipped file itself, and look forms up through the lexicon the extractor uses
(graphbuilder.extract.lexicon); its conflict check is also run on a broken copy to show
that it does catch what it is meant to catch.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from graphbuilder.errors import DataError
from graphbuilder.extract.lexicon import build_gazetteer, gazetteer_conflicts

GAZETTEER = Path(__file__).resolve().parents[2] / "graphbuilder" / "data" / "gazetteer.json"

COUNTRY_FIELDS = {"name", "aliases", "demonyms", "capital", "capital_aliases", "iso2", "iso3", "wikidata"}
ORGANIZATION_FIELDS = {"name", "aliases", "part_of", "wikidata", "kind"}
ORGANIZATION_KINDS = {
    "intergovernmental",
    "agency",
    "court",
    "mission",
    "alliance",
    "forum",
    "humanitarian",
    "news_agency",
    "armed_group",
    "political_group",
}
WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")

# ISO 3166-1 alpha-3 codes of the 193 member states of the United Nations.
UN_MEMBER_STATES = """
AFG AGO ALB AND ARE ARG ARM ATG AUS AUT AZE BDI BEL BEN BFA BGD BGR BHR BHS BIH BLR BLZ BOL BRA
BRB BRN BTN BWA CAF CAN CHE CHL CHN CIV CMR COD COG COL COM CPV CRI CUB CYP CZE DEU DJI DMA DNK
DOM DZA ECU EGY ERI ESP EST ETH FIN FJI FRA FSM GAB GBR GEO GHA GIN GMB GNB GNQ GRC GRD GTM GUY
HND HRV HTI HUN IDN IND IRL IRN IRQ ISL ISR ITA JAM JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO
LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MOZ
MRT MUS MWI MYS NAM NER NGA NIC NLD NOR NPL NRU NZL OMN PAK PAN PER PHL PLW PNG POL PRK PRT PRY
QAT ROU RUS RWA SAU SDN SEN SGP SLB SLE SLV SMR SOM SRB SSD STP SUR SVK SVN SWE SWZ SYC SYR TCD
TGO THA TJK TKM TLS TON TTO TUN TUR TUV TZA UGA UKR URY USA UZB VCT VEN VNM VUT WSM YEM ZAF ZMB
ZWE
""".split()


@pytest.fixture(scope="module")
def gazetteer() -> dict:
    return json.loads(GAZETTEER.read_text(encoding="utf-8"))


def _entries(doc: dict):
    """Yield (section, entry) for every country and organization."""
    for section in ("countries", "organizations"):
        for entry in doc[section]:
            yield section, entry


def _surface_forms(entry: dict) -> list[str]:
    return [entry["name"], *entry.get("aliases", []), *entry.get("demonyms", [])]


@pytest.fixture(scope="module")
def lookup(gazetteer):
    """Return the lexicon's lookup over the shipped file: surface form -> canonical name."""
    built = build_gazetteer(gazetteer)

    def name(form: str) -> str | None:
        entry = built.lookup(form)
        return entry.name if entry else None

    return name


def test_file_is_utf8_json_indented_by_two_with_entries_sorted_by_name(gazetteer):
    text = GAZETTEER.read_text(encoding="utf-8")
    assert set(gazetteer) == {"countries", "organizations"}
    assert text == json.dumps(gazetteer, ensure_ascii=False, indent=2) + "\n"
    for section in ("countries", "organizations"):
        names = [entry["name"] for entry in gazetteer[section]]
        assert names == sorted(names, key=str.casefold), f"{section} are not sorted by name"


def _check_strings(where: str, values) -> None:
    assert isinstance(values, list), f"{where} is not a list"
    for value in values:
        assert isinstance(value, str) and value == value.strip() and value, (
            f"{where} holds an empty or padded string: {value!r}"
        )
    folded = [v.casefold() for v in values]
    assert len(folded) == len(set(folded)), f"{where} repeats a form: {values}"


def test_every_country_has_a_name_and_only_well_formed_fields(gazetteer):
    for entry in gazetteer["countries"]:
        name = entry.get("name")
        assert isinstance(name, str) and name.strip() == name and name, entry
        assert set(entry) <= COUNTRY_FIELDS, f"{name}: unknown fields {set(entry) - COUNTRY_FIELDS}"
        _check_strings(f"{name} aliases", entry["aliases"])
        _check_strings(f"{name} demonyms", entry["demonyms"])
        _check_strings(f"{name} capital_aliases", entry.get("capital_aliases", []))
        if "capital_aliases" in entry:
            assert "capital" in entry, f"{name} has capital_aliases but no capital"
        assert ("iso2" in entry) == ("iso3" in entry), f"{name}: iso2 and iso3 come together"
        if "iso2" in entry:
            assert re.fullmatch(r"[A-Z]{2}", entry["iso2"]), f"{name}: bad iso2 {entry['iso2']}"
            assert re.fullmatch(r"[A-Z]{3}", entry["iso3"]), f"{name}: bad iso3 {entry['iso3']}"


def test_every_organization_has_a_name_and_only_well_formed_fields(gazetteer):
    for entry in gazetteer["organizations"]:
        name = entry.get("name")
        assert isinstance(name, str) and name.strip() == name and name, entry
        assert set(entry) <= ORGANIZATION_FIELDS, f"{name}: unknown fields {set(entry) - ORGANIZATION_FIELDS}"
        _check_strings(f"{name} aliases", entry["aliases"])
        if "kind" in entry:
            assert entry["kind"] in ORGANIZATION_KINDS, f"{name}: unknown kind {entry['kind']}"


def test_aliases_never_start_with_the_article_or_repeat_their_own_name(gazetteer):
    # The extractor strips a leading "the" before lookup, so such an alias could never match.
    for _, entry in _entries(gazetteer):
        for form in [*entry.get("aliases", []), *entry.get("demonyms", [])]:
            assert not form.casefold().startswith("the "), f"{entry['name']}: {form!r}"
            assert form.casefold() != entry["name"].casefold(), f"{entry['name']}: {form!r}"


def test_no_surface_form_is_claimed_by_two_entries(gazetteer):
    assert gazetteer_conflicts(gazetteer) == {}
    assert len(build_gazetteer(gazetteer).entries) == len(gazetteer["countries"]) + len(
        gazetteer["organizations"]
    )


def test_an_alias_that_is_another_entrys_name_is_refused_as_the_lexicon_loads(gazetteer):
    broken = copy.deepcopy(gazetteer)
    country, organization = broken["countries"][0]["name"], broken["organizations"][0]["name"]
    broken["organizations"][0]["aliases"].append(country.upper())
    assert gazetteer_conflicts(broken) == {
        country.casefold(): [f"countries:{country}", f"organizations:{organization}"]
    }
    with pytest.raises(
        DataError,
        match=rf"gazetteer.json: '{country.casefold()}' is claimed by "
        rf"countries:{country} and organizations:{organization}$",
    ):
        build_gazetteer(broken)


def test_ambiguous_forms_are_left_out(gazetteer, lookup):
    # Each names two countries (the Koreas, the Congos, Dominica and the Dominican Republic).
    assert lookup("North Korean") == "North Korea"  # the positive twin
    for form in ("Korea", "Korean", "Koreans", "Congo", "Congolese", "Dominican", "Dominicans"):
        assert lookup(form) is None, form
        assert all(
            form.casefold() not in (d.casefold() for d in entry.get("demonyms", []))
            for _, entry in _entries(gazetteer)
        ), form


def test_iso_codes_are_unique(gazetteer):
    for field in ("iso2", "iso3"):
        codes = [c[field] for c in gazetteer["countries"] if field in c]
        duplicates = {code for code in codes if codes.count(code) > 1}
        assert not duplicates, f"{field} used twice: {duplicates}"


def test_wikidata_ids_are_well_formed_and_unique(gazetteer):
    seen: dict[str, str] = {}
    for _, entry in _entries(gazetteer):
        if "wikidata" not in entry:
            continue
        qid = entry["wikidata"]
        assert WIKIDATA_ID.match(qid), f"{entry['name']}: malformed Wikidata ID {qid!r}"
        assert qid not in seen, f"{qid} is both {seen[qid]} and {entry['name']}"
        seen[qid] = entry["name"]


def test_every_part_of_names_another_organization_in_the_file(gazetteer):
    names = {entry["name"] for entry in gazetteer["organizations"]}
    for entry in gazetteer["organizations"]:
        if "part_of" in entry:
            assert entry["part_of"] in names, f"{entry['name']}: unknown parent {entry['part_of']}"
            assert entry["part_of"] != entry["name"], f"{entry['name']} is part of itself"


def test_capitals_are_unique_and_not_names_of_other_entries(gazetteer):
    forms = {f.casefold(): e["name"] for _, e in _entries(gazetteer) for f in _surface_forms(e)}
    seen: dict[str, str] = {}
    for country in gazetteer["countries"]:
        for capital in [country.get("capital"), *country.get("capital_aliases", [])]:
            if capital is None:
                continue
            key = capital.casefold()
            assert key not in seen, f"{capital} is a capital of {seen[key]} and {country['name']}"
            seen[key] = country["name"]
            assert forms.get(key, country["name"]) == country["name"], (
                f"capital {capital} of {country['name']} is also {forms[key]}"
            )


def test_all_193_un_member_states_are_present(gazetteer):
    iso3 = {c["iso3"] for c in gazetteer["countries"] if "iso3" in c}
    assert len(UN_MEMBER_STATES) == 193
    assert len(iso3) >= 193
    assert set(UN_MEMBER_STATES) - iso3 == set()


@pytest.mark.parametrize(
    "form, canonical",
    [
        ("US", "United States"),
        ("U.S.", "United States"),
        ("America", "United States"),
        ("United States of America", "United States"),
        ("UK", "United Kingdom"),
        ("Britain", "United Kingdom"),
        ("DPRK", "North Korea"),
        ("Democratic People's Republic of Korea", "North Korea"),
        ("ROK", "South Korea"),
        ("Republic of Korea", "South Korea"),
        ("PRC", "China"),
        ("Russian Federation", "Russia"),
        ("DRC", "Democratic Republic of the Congo"),
        ("Congo-Brazzaville", "Republic of the Congo"),
        ("Burma", "Myanmar"),
        ("Türkiye", "Turkey"),
        ("Czechia", "Czech Republic"),
        ("Côte d'Ivoire", "Ivory Coast"),
        ("UN", "United Nations"),
        ("U.N.", "United Nations"),
        ("UN Security Council", "United Nations Security Council"),
        ("UNSC", "United Nations Security Council"),
        ("ISIS", "Islamic State"),
        ("KCNA", "Korean Central News Agency"),
    ],
)
def test_key_aliases_resolve_to_their_canonical_entry(lookup, form, canonical):
    assert lookup(form) == canonical
    assert lookup(f"the {form}") == canonical  # news writes "the UN", "the DPRK"


@pytest.mark.parametrize(
    "demonym, country",
    [
        ("American", "United States"),
        ("North Korean", "North Korea"),
        ("Ukrainians", "Ukraine"),
        ("Emirati", "United Arab Emirates"),
    ],
)
def test_demonyms_belong_to_their_country(gazetteer, lookup, demonym, country):
    owners = [c["name"] for c in gazetteer["countries"] if demonym in c["demonyms"]]
    assert owners == [country]
    assert lookup(demonym) == country


@pytest.mark.parametrize(
    "name, qid",
    [
        ("United States", "Q30"),
        ("China", "Q148"),
        ("Russia", "Q159"),
        ("North Korea", "Q423"),
        ("South Korea", "Q884"),
        ("Japan", "Q17"),
        ("Ukraine", "Q212"),
        ("Iran", "Q794"),
        ("United Kingdom", "Q145"),
        ("France", "Q142"),
        ("Germany", "Q183"),
        ("United Nations", "Q1065"),
        ("NATO", "Q7184"),
        ("European Union", "Q458"),
    ],
)
def test_well_known_wikidata_ids_are_the_documented_ones(gazetteer, name, qid):
    assert build_gazetteer(gazetteer).entries[name].wikidata == qid
