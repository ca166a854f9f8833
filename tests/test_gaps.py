"""Gaps of one trainer and of a cohort, recomputed here from the graph's requirements."""

from __future__ import annotations

import random
import statistics

import pytest

from conftest import fixture_sources
from planner_instances import random_profile
from service.catalogue import load_catalogue
from service.errors import BadRequest, ValidationFailed
from service.namespaces import FRAMEWORK_GRAPH
from service.planning.cohorts import cohort_gaps, week_items
from service.planning.gaps import compute_gaps
from service.store import EmbeddedStore
from service.store.bundle import Source, load_sources

# A second role, only in English, that asks more of one competence than language-trainer.
SECOND_ROLE = """\
@prefix rg: <https://w3id.org/reintegra/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/reintegra/role/network-officer> a rg:TargetRole ;
    skos:prefLabel "Network officer"@en .
<https://w3id.org/reintegra/requirement/network-officer--service-mapping> a rg:RoleRequirement ;
    rg:requirementOf <https://w3id.org/reintegra/role/network-officer> ;
    rg:requiredCompetence <https://w3id.org/reintegra/competence/service-mapping> ;
    rg:requiredLevel <https://w3id.org/reintegra/level/C1> ; rg:relationType rg:Essential .
<https://w3id.org/reintegra/requirement/network-officer--referral-pathways> a rg:RoleRequirement ;
    rg:requirementOf <https://w3id.org/reintegra/role/network-officer> ;
    rg:requiredCompetence <https://w3id.org/reintegra/competence/referral-pathways> ;
    rg:requiredLevel <https://w3id.org/reintegra/level/B1> ; rg:relationType rg:Optional .
"""


def profile(**changes):
    base = {
        "roles": ["language-trainer"],
        "assessments": [
            {"competence": "adult-language-pedagogy", "level": "B2", "source": "self"},
            {"competence": "adult-language-pedagogy", "level": "A2", "source": "assessor"},
            {"competence": "referral-pathways", "level": "C1", "source": "self"},
        ],
        "languages": ["en"],
        "country": "IT",
    }
    base.update(changes)
    return base


@pytest.fixture
def two_roles(tmp_path):
    extra = tmp_path / "second-role.ttl"
    extra.write_text(SECOND_ROLE, encoding="utf-8")
    s = EmbeddedStore()
    sources = fixture_sources()
    sources[2] = Source(FRAMEWORK_GRAPH, (*sources[2].files, extra))
    load_sources(s, sources)
    yield load_catalogue(s)
    s.close()


def by_id(answer):
    return {c["competence"]: c for c in answer["competences"]}


def test_gap_per_competence_with_the_assessors_level_and_weight(store):
    answer = compute_gaps(profile(), load_catalogue(store))
    rows = by_id(answer)
    pedagogy = rows["adult-language-pedagogy"]
    assert (pedagogy["current_level"], pedagogy["source"], pedagogy["required_level"]) == (
        "A2",
        "assessor",
        "B2",
    )
    assert (pedagogy["gap"], pedagogy["weight"], pedagogy["weighted_gap"]) == (2, 2.0, 4.0)
    assert pedagogy["essential"] and pedagogy["status"] == "gap"
    mapping = rows["service-mapping"]
    assert (mapping["current_level"], mapping["source"], mapping["gap"]) == (None, None, 3)
    assert (mapping["relation"], mapping["weighted_gap"]) == ("Optional", 3.0)
    assert rows["referral-pathways"]["status"] == "exceeds"
    assert answer["exceeds"] == [
        {
            "competence": "referral-pathways",
            "label": "Referral pathways",
            "current_level": "C1",
            "required_level": "A2",
            "by": 3,
        }
    ]


def test_sums_per_area_strand_and_total_add_up(store):
    answer = compute_gaps(profile(), load_catalogue(store))
    rows = answer["competences"]
    for key, groups in (("area", answer["areas"]), ("strand", answer["strands"])):
        for group in groups:
            members = [r for r in rows if r[key] == group[key]]
            assert group["weighted_gap"] == sum(r["weighted_gap"] for r in members)
            assert group["gap"] == sum(r["gap"] for r in members)
            assert group["with_gap"] == sum(1 for r in members if r["gap"])
    assert answer["total"]["weighted_gap"] == 7.0
    assert {a["area"]: a["weighted_gap"] for a in answer["areas"]} == {
        "language": 4.0,
        "networks": 3.0,
    }


def test_labels_follow_the_language(store):
    answer = compute_gaps(profile(), load_catalogue(store), lang="it")
    assert by_id(answer)["service-mapping"]["label"] == "Mappatura dei servizi"
    assert answer["roles"] == [{"id": "language-trainer", "label": "Formatore linguistico"}]
    assert "label_lang" not in by_id(answer)["service-mapping"]


def test_several_roles_take_the_highest_level_and_heaviest_relation(two_roles):
    answer = compute_gaps(
        profile(roles=["language-trainer", "network-officer"]), two_roles, lang="nl"
    )
    rows = by_id(answer)
    mapping = rows["service-mapping"]
    assert (mapping["required_level"], mapping["relation"], mapping["weight"]) == (
        "C1",
        "Essential",
        2.0,
    )
    assert mapping["roles"] == ["language-trainer", "network-officer"]
    referral = rows["referral-pathways"]  # A2 essential for one, B1 optional for the other
    assert (referral["required_level"], referral["relation"]) == ("B1", "Essential")
    officer = answer["roles"][1]
    assert officer == {"id": "network-officer", "label": "Network officer", "label_lang": "en"}


def test_bad_profiles_are_refused_before_anything_is_computed(store):
    cat = load_catalogue(store)
    with pytest.raises(ValidationFailed) as caught:
        compute_gaps(profile(roles=["nobody"]), cat)
    assert caught.value.pointer == "/roles/0"


def test_cohort_statistics_are_those_of_the_members(store):
    cat = load_catalogue(store)
    rng = random.Random(4)
    members = [random_profile(rng, cat) for _ in range(12)]
    answer = cohort_gaps(members, cat, week_hours=30, lang="en")
    assert answer["members"] == 12
    singles = [by_id(compute_gaps(m, cat)) for m in members]
    for row in answer["competences"]:
        gaps = [s[row["competence"]]["gap"] for s in singles if row["competence"] in s]
        assert row["members_requiring"] == len(gaps)
        assert row["members_with_gap"] == sum(1 for g in gaps if g)
        assert row["mean_gap"] == pytest.approx(statistics.fmean(gaps))
        assert row["median_gap"] == statistics.median(gaps)
        assert sum(row["gap_distribution"].values()) == len(gaps)
        assert sum(row["level_distribution"].values()) == len(gaps)


def test_the_week_counts_members_who_can_follow_and_fits_its_hours(two_roles):
    assert [a.id for a in week_items(two_roles)] == ["week-italy-stakeholders"]
    ready = {"competence": "referral-pathways", "level": "A2", "source": "self"}
    members = [
        profile(roles=["network-officer"], assessments=[ready]),
        profile(roles=["network-officer"], assessments=[ready]),
        profile(roles=["network-officer"], assessments=[ready], languages=["nl"]),
        profile(roles=["network-officer"], assessments=[]),  # below the session's entry A2
    ]
    week = cohort_gaps(members, two_roles, week_hours=4)["week"]
    assert [i["activity"] for i in week["items"]] == ["week-italy-stakeholders"]
    item = week["items"][0]
    # network-officer asks for B1 (optional, weight 1): the two members who hold the entry
    # level A2 and follow English gain one step each.
    assert item["members"] == 2
    assert item["weighted_gap_closed"] == week["closed"] == 2.0
    assert item["competences"] == [
        {
            "competence": "referral-pathways",
            "label": "Referral pathways",
            "members": 2,
            "weighted_gap_closed": 2.0,
        }
    ]
    assert cohort_gaps(members, two_roles, week_hours=3)["week"]["items"] == []


def test_the_week_picks_the_most_gap_per_hour_on_a_larger_framework(tmp_path):
    from planner_instances import framework_turtle, load_framework, ontology_store

    s = ontology_store()
    cat = load_framework(
        s, framework_turtle(3, competences=12, roles=3, activities=16, weeks=3), tmp_path
    )
    s.close()
    rng = random.Random(9)
    members = [random_profile(rng, cat) for _ in range(15)]
    for hours in (6, 12, 30, 60):
        week = cohort_gaps(members, cat, week_hours=hours)["week"]
        assert week["hours_used"] <= hours
        assert sum(i["hours"] for i in week["items"]) == week["hours_used"]
        assert week["closed"] == pytest.approx(sum(i["weighted_gap_closed"] for i in week["items"]))
        allowed = {a.id for a in week_items(cat)}
        assert all(i["activity"] in allowed for i in week["items"])
        assert all(i["weighted_gap_closed"] > 0 for i in week["items"])
    small = cohort_gaps(members, cat, week_hours=6)["week"]["closed"]
    large = cohort_gaps(members, cat, week_hours=60)["week"]["closed"]
    assert large >= small


def test_week_hours_must_be_positive(store):
    with pytest.raises(BadRequest) as caught:
        cohort_gaps([profile()], load_catalogue(store), week_hours=0)
    assert caught.value.pointer == "/week_hours"


def test_a_bad_member_is_named(store):
    with pytest.raises(ValidationFailed) as caught:
        cohort_gaps([profile(), profile(country="ZZ")], load_catalogue(store))
    assert caught.value.pointer == "/profiles/1/country"
