"""The catalogue is read from the graph (public framework and ontology graphs only) and profiles
are checked against it with errors that name the field."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import fixture_sources
from service.catalogue import catalogue_version, load_catalogue
from service.errors import BadRequest, ValidationFailed
from service.namespaces import ESCO_GRAPH, FRAMEWORK_GRAPH, PROFILE_GRAPH
from service.planning.profile import check_profile
from service.store import EmbeddedStore
from service.store.bundle import Source, load_bundled, load_sources

VALID = {
    "name": "Ana",
    "roles": ["language-trainer"],
    "assessments": [
        {
            "competence": "adult-language-pedagogy",
            "level": "B1",
            "date": "2026-11-01",
            "source": "self",
        },
        {"competence": "adult-language-pedagogy", "level": "A2", "source": "assessor"},
    ],
    "languages": ["it", "en-GB"],
    "country": "IT",
    "availability": [{"start": "2027-01-01", "end": "2027-06-30"}],
    "preferences": {"online_only": False, "can_travel": True, "max_hours": 60},
}


def test_levels_competences_and_roles_come_from_the_graph(store):
    cat = load_catalogue(store)
    assert [(v.notation, v.rank) for v in cat.levels] == [
        ("A1", 1),
        ("A2", 2),
        ("B1", 3),
        ("B2", 4),
        ("C1", 5),
        ("C2", 6),
    ]
    assert cat.levels[0].labels["it"] == "A1 Novizio"
    pedagogy = cat.competences["adult-language-pedagogy"]
    assert (pedagogy.area, pedagogy.strand, pedagogy.notation) == (
        "language",
        "inclusive",
        "INC-A-01",
    )
    assert pedagogy.labels["nl"] == "Taaldidactiek voor volwassenen"
    reqs = {r.competence: r for r in cat.roles["language-trainer"].requirements}
    assert (
        reqs["adult-language-pedagogy"].level,
        reqs["adult-language-pedagogy"].relation,
        reqs["adult-language-pedagogy"].weight,
    ) == (4, "Essential", 2.0)
    assert (reqs["service-mapping"].relation, reqs["service-mapping"].weight) == ("Optional", 1.0)
    assert set(cat.formats) == {"Online", "InPerson", "Blended", "Coaching"}


def test_activities_carry_every_fact_the_planner_needs(store):
    acts = load_catalogue(store).activities
    week = acts["week-italy"]
    assert (week.kind, week.format, week.country, week.city) == (
        "mobility",
        "InPerson",
        "IT",
        "Bologna",
    )
    assert (week.start, week.end, week.hours, week.capacity) == (
        date(2027, 5, 10),
        date(2027, 5, 14),
        30.0,
        24,
    )
    assert (week.entry, week.reached) == (3, 4)
    assert week.prerequisites == ("module-networks",)
    assert week.sub_events == ("week-italy-stakeholders",)
    assert acts["week-italy-stakeholders"].super_event == "week-italy"
    assert acts["week-italy-stakeholders"].kind == "session"
    module = acts["module-networks"]
    assert module.self_paced and module.start is None
    assert module.country == "IT"  # no place of its own: the organiser's
    assert module.languages == frozenset({"en", "it"})
    assert module.competences == ("referral-pathways", "service-mapping")


def test_weights_are_read_not_assumed(store):
    store.update(
        "PREFIX rg: <https://w3id.org/reintegra/ontology#> "
        "DELETE { GRAPH ?g { rg:Essential rg:weight ?w } } "
        "INSERT { GRAPH ?g { rg:Essential rg:weight 3.5 } } "
        "WHERE { GRAPH ?g { rg:Essential rg:weight ?w } }"
    )
    reqs = load_catalogue(store).roles["language-trainer"].requirements
    assert {r.weight for r in reqs if r.relation == "Essential"} == {3.5}


def test_only_the_public_framework_and_ontology_graphs_are_read(store):
    decoy = (
        "<https://w3id.org/reintegra/competence/decoy> "
        "a <https://w3id.org/reintegra/ontology#Competence> .\n"
    )
    store.replace_graph(ESCO_GRAPH, decoy)
    store.replace_graph(PROFILE_GRAPH + "someone", decoy)
    assert "decoy" not in load_catalogue(store).competences
    store.replace_graph(FRAMEWORK_GRAPH, decoy)
    assert "decoy" in load_catalogue(store).competences


def test_version_changes_with_the_framework_and_only_then(store, tmp_path):
    first = catalogue_version(store)
    assert load_catalogue(store).version == first
    store.replace_graph(ESCO_GRAPH, "<urn:x> <urn:y> <urn:z> .\n")
    assert catalogue_version(store) == first
    extra = tmp_path / "extra.ttl"
    extra.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    files = tuple(sorted(fixture_sources()[2].files)) + (extra,)
    load_sources(store, [Source(FRAMEWORK_GRAPH, files)])
    assert catalogue_version(store) != first


def test_both_store_backends_give_the_same_catalogue(any_store, store):
    load_sources(any_store, fixture_sources())
    ours, theirs = load_catalogue(store), load_catalogue(any_store)
    assert ours.levels == theirs.levels
    assert dict(ours.competences) == dict(theirs.competences)
    assert dict(ours.roles) == dict(theirs.roles)
    assert dict(ours.activities) == dict(theirs.activities)


def test_the_bundled_framework_loads():
    store = EmbeddedStore()
    load_bundled(store)
    cat = load_catalogue(store)
    store.close()
    if not cat.competences:
        pytest.skip("the bundled framework has no competences yet")
    assert len(cat.levels) == 6 and cat.roles
    for role in cat.roles.values():
        assert all(r.competence in cat.competences for r in role.requirements)
    for act in cat.activities.values():
        assert act.languages and act.hours and act.reached
        assert set(act.competences) <= set(cat.competences), act.id


def test_a_valid_profile_passes(store):
    check_profile(VALID, load_catalogue(store))


@pytest.mark.parametrize(
    ("change", "error", "pointer", "words"),
    [
        (lambda p: p.update(roles=["astronaut"]), ValidationFailed, "/roles/0", "unknown role"),
        (lambda p: p.update(roles=[]), ValidationFailed, "/roles", "at least one"),
        (lambda p: p.update(roles="language-trainer"), BadRequest, "/roles", "list"),
        (
            lambda p: p["assessments"][1].update(competence="juggling"),
            ValidationFailed,
            "/assessments/1/competence",
            "unknown competence",
        ),
        (
            lambda p: p["assessments"][0].update(level="D1"),
            ValidationFailed,
            "/assessments/0/level",
            "not on the scale",
        ),
        (
            lambda p: p["assessments"][1].update(source="self"),
            ValidationFailed,
            "/assessments/1",
            "second self assessment",
        ),
        (
            lambda p: p["assessments"][0].update(source="friend"),
            ValidationFailed,
            "/assessments/0/source",
            "not one of",
        ),
        (
            lambda p: p["assessments"][0].update(date="2026-13-01"),
            ValidationFailed,
            "/assessments/0/date",
            "not a date",
        ),
        (
            lambda p: p.update(languages=["en", "klingon"]),
            ValidationFailed,
            "/languages/1",
            "unknown language",
        ),
        (lambda p: p.update(languages=[]), ValidationFailed, "/languages", "language"),
        (lambda p: p.update(country="XX"), ValidationFailed, "/country", "unknown country"),
        (
            lambda p: p["availability"][0].update(start="2027-07-01"),
            ValidationFailed,
            "/availability/0/end",
            "before it starts",
        ),
        (
            lambda p: p["preferences"].update(max_hours=-1),
            ValidationFailed,
            "/preferences/max_hours",
            "negative",
        ),
        (
            lambda p: p["preferences"].update(online_only="yes"),
            BadRequest,
            "/preferences/online_only",
            "true or false",
        ),
    ],
)
def test_bad_profiles_name_the_field_and_the_problem(store, change, error, pointer, words):
    import copy

    profile = copy.deepcopy(VALID)
    change(profile)
    with pytest.raises(error) as caught:
        check_profile(profile, load_catalogue(store))
    assert caught.value.pointer == pointer
    assert words in caught.value.message


def test_a_profile_must_be_an_object(store):
    with pytest.raises(BadRequest) as caught:
        check_profile(["not", "an", "object"], load_catalogue(store))
    assert caught.value.pointer == ""
