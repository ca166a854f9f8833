"""The SHACL shapes of profiles check meaning on their own, and their findings name the JSON
field (so a profile the other checks let through is still refused with a pointer)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from api_client import sample_profile
from service.errors import ValidationFailed
from service.namespaces import COMPETENCE, FRAMEWORK_GRAPH, SH
from service.records.profiles import framework_refs, from_graph, to_triples
from service.validation import validate_graph
from service.web.api.profile_checks import check_shapes, profile_shapes

PROFILE_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def refs(store):
    return framework_refs(store)


def pointers_of(exc: ValidationFailed) -> list[str]:
    return [d["pointer"] for d in exc.details]


def test_a_valid_profile_conforms_and_round_trips(refs):
    triples = to_triples(PROFILE_ID, sample_profile(), refs)
    check_shapes(triples, refs)
    assert from_graph(PROFILE_ID, triples.graph(), refs) == sample_profile()


def test_duplicate_assessment_is_found_by_the_shapes(refs):
    profile = sample_profile()
    profile["assessments"].append(dict(profile["assessments"][0], level="C1"))
    with pytest.raises(ValidationFailed) as caught:
        check_shapes(to_triples(PROFILE_ID, profile, refs), refs)
    assert pointers_of(caught.value) == ["/assessments/2/competence"]
    assert "at most one assessment per competence and source" in caught.value.message


def test_reversed_period_is_found_by_the_shapes(refs):
    profile = sample_profile(
        availability=[
            {"start": "2027-01-01", "end": "2027-12-31"},
            {"start": "2027-09-01", "end": "2027-08-01"},
        ]
    )
    with pytest.raises(ValidationFailed) as caught:
        check_shapes(to_triples(PROFILE_ID, profile, refs), refs)
    assert pointers_of(caught.value) == ["/availability/1/start"]
    assert "must not start after it ends" in caught.value.message


def test_references_must_be_framework_items_of_the_right_kind(refs):
    """A role id that resolves to a competence, and a level id that resolves to a competence,
    are refused by sh:class, with the pointer of the field."""
    competence = COMPETENCE["service-mapping"]
    twisted = replace(
        refs, roles={"language-trainer": competence}, levels={**refs.levels, "B1": competence}
    )
    with pytest.raises(ValidationFailed) as caught:
        check_shapes(to_triples(PROFILE_ID, sample_profile(), twisted), twisted)
    assert pointers_of(caught.value) == ["/assessments/0/level", "/roles/0"]
    messages = {d["message"] for d in caught.value.details}
    assert "Each role of a profile must be a target role of the framework." in messages


def test_unknown_reference_names_its_field_before_any_shape(refs):
    profile = sample_profile(roles=["astronaut"])
    with pytest.raises(ValidationFailed) as caught:
        to_triples(PROFILE_ID, profile, refs)
    assert caught.value.pointer == "/roles/0"


def test_every_profile_shape_has_a_message_and_the_framework_does_not_trigger_them(store):
    shapes = profile_shapes()
    constraints = list(shapes.objects(None, SH.property)) + list(shapes.objects(None, SH.sparql))
    assert constraints
    for node in constraints:
        message = shapes.value(node, SH.message)
        assert message and str(message)[0].isupper() and str(message).endswith(".")
    report = validate_graph(store.graph(FRAMEWORK_GRAPH), shapes)
    assert report.errors == []
