"""Availability: periods that touch or overlap count as one, a day's gap does not."""

from __future__ import annotations

from datetime import date

import pytest

from service.catalogue import load_catalogue
from service.planning.profile import merged_periods, parse_profile
from service.planning.rules import Filters, static_reasons
from service.store import EmbeddedStore
from service.store.bundle import load_bundled

WEBINAR = "webinar-plain-language"  # runs 19 May to 2 June 2027
TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def catalogue():
    store = EmbeddedStore()
    load_bundled(store)
    cat = load_catalogue(store)
    store.close()
    return cat


def reasons(catalogue, *periods: tuple[str, str]) -> list[str]:
    role = sorted(catalogue.roles)[0]
    profile = parse_profile(
        {
            "roles": [role],
            "assessments": [],
            "languages": ["en"],
            "availability": [{"start": s, "end": e} for s, e in periods],
        },
        catalogue,
    )
    return static_reasons(catalogue.activities[WEBINAR], profile, Filters(), TODAY)


def test_the_webinar_runs_across_the_periods_used_below(catalogue):
    webinar = catalogue.activities[WEBINAR]
    assert (webinar.start, webinar.end) == (date(2027, 5, 19), date(2027, 6, 2))


def test_touching_periods_fit_an_activity_across_them(catalogue):
    assert reasons(catalogue, ("2027-01-01", "2027-05-25"), ("2027-05-26", "2027-12-31")) == []


def test_overlapping_periods_fit_an_activity_across_them(catalogue):
    assert reasons(catalogue, ("2027-05-20", "2027-12-31"), ("2027-01-01", "2027-05-25")) == []


def test_a_free_day_missing_inside_the_activity_refuses_it(catalogue):
    found = reasons(catalogue, ("2027-01-01", "2027-05-25"), ("2027-05-27", "2027-12-31"))
    assert found == ["availability"]


def test_merged_periods():
    d = date.fromisoformat
    periods = [
        (d("2027-06-01"), d("2027-06-30")),
        (d("2027-01-01"), d("2027-03-31")),
        (d("2027-04-01"), d("2027-04-10")),
        (d("2027-04-05"), d("2027-04-07")),
        (d("2027-04-12"), d("2027-05-01")),
    ]
    assert merged_periods(periods) == (
        (d("2027-01-01"), d("2027-04-10")),
        (d("2027-04-12"), d("2027-05-01")),
        (d("2027-06-01"), d("2027-06-30")),
    )
