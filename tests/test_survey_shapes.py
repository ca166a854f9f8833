"""Survey responses are checked by the shapes before learning outcomes are computed from them."""

from __future__ import annotations

from pathlib import Path

from service.validation import validate_files

DATA = Path(__file__).parent / "data"
ONTOLOGY = Path(__file__).parent.parent / "ontology"
BASE = [ONTOLOGY, DATA / "framework", DATA / "surveys" / "valid-response.ttl"]


def test_a_complete_response_is_valid():
    report = validate_files(BASE)
    assert report.conforms, [v.message for v in report.errors]


def test_a_broken_response_reports_each_problem():
    report = validate_files([*BASE, DATA / "surveys" / "invalid-response.ttl"])
    messages = {v.message for v in report.errors}
    assert any("does not belong to the survey" in m and "other-q1" in m for m in messages)
    assert any("answered more than once" in m and "week-italy-q1" in m for m in messages)
    assert any("before (rg:Pre) or after (rg:Post)" in m for m in messages)
    assert any("exactly one level of the scale" in m for m in messages)
    assert all(v.file and v.file.endswith("invalid-response.ttl") for v in report.errors)
