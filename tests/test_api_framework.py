"""The read API: the framework in the requested language, honest about fallbacks, filtered."""

from __future__ import annotations

import pytest

from api_client import CheckedClient
from service.app import create_app
from service.namespaces import RG
from service.store import EmbeddedStore
from service.store.bundle import load_bundled


@pytest.fixture
def api(client):
    return CheckedClient(client)


def ids(items: list[dict]) -> list[str]:
    return [item["id"] for item in items]


def test_competences_in_the_requested_language(api):
    body = api.get("/api/v1/competences?lang=it").json
    assert body["lang"] == "it"
    assert ids(body["competences"]) == [
        "service-mapping",
        "referral-pathways",
        "adult-language-pedagogy",
    ]
    first = body["competences"][0]
    assert (first["label"], first["notation"]) == ("Mappatura dei servizi", "EFF-A-01")
    assert "label_lang" not in first
    assert (first["area"], first["strand"]) == ("networks", "effective")


def test_accept_language_chooses_when_lang_is_absent(api):
    body = api.get("/api/v1/competences", headers={"Accept-Language": "nl, en;q=0.5"}).json
    assert body["lang"] == "nl"
    assert body["competences"][0]["label"] == "Sociale kaart maken"
    assert (
        api.get("/api/v1/competences?lang=ro", headers={"Accept-Language": "nl"}).json["lang"]
        == "ro"
    )


def test_competence_filters(api):
    by_strand = api.get("/api/v1/competences?strand=inclusive").json["competences"]
    assert ids(by_strand) == ["adult-language-pedagogy"]
    by_area = api.get("/api/v1/competences?area=networks").json["competences"]
    assert ids(by_area) == ["service-mapping", "referral-pathways"]
    # Search text matches in any language, without regard to case or accents.
    italian = api.get("/api/v1/competences?lang=en&q=DIDATTICA").json["competences"]
    assert ids(italian) == ["adult-language-pedagogy"]
    romanian = api.get("/api/v1/competences?q=referire").json["competences"]
    assert ids(romanian) == ["referral-pathways"]
    accents = api.get("/api/v1/competences?q=adultI").json["competences"]
    assert ids(accents) == ["adult-language-pedagogy"]
    assert api.get("/api/v1/competences?q=zzzz").json == {
        "lang": "en",
        "count": 0,
        "competences": [],
    }


def test_competence_detail_has_descriptors_mappings_roles_and_activities(api):
    body = api.get("/api/v1/competences/adult-language-pedagogy?lang=it").json
    assert body["label"] == "Didattica delle lingue per adulti"
    assert [d["level"] for d in body["descriptors"]] == ["A1", "A2", "B1", "B2", "C1", "C2"]
    assert body["descriptors"][2]["statement"].startswith("Sono in grado di applicare")
    mapping = body["mappings"][0]
    assert mapping["relation"] == "skos:closeMatch"
    assert mapping["target"].startswith("http://data.europa.eu/esco/skill/")
    # ESCO labels are English only in the fixture: the answer says so.
    assert (mapping["label"], mapping["label_lang"]) == ("teach languages", "en")
    assert body["required_by"] == [
        {
            "role": "language-trainer",
            "level": "B2",
            "rank": 4,
            "relation": "Essential",
            "weight": 2,
            "label": "Formatore linguistico",
        }
    ]
    assert ids(body["activities"]) == ["coaching-language", "week-italy"]


def test_roles_and_role_detail(api):
    roles = api.get("/api/v1/roles?lang=ro").json["roles"]
    assert roles == [
        {
            "id": "language-trainer",
            "label": "Formator de limbă",
            "definition": "Predă limba țării gazdă migranților adulți.",
            "requirements": 3,
            "links": {"self": "/api/v1/roles/language-trainer"},
        }
    ]
    role = api.get("/api/v1/roles/language-trainer").json
    required = {(r["competence"], r["level"], r["relation"]) for r in role["requirements"]}
    assert required == {
        ("adult-language-pedagogy", "B2", "Essential"),
        ("referral-pathways", "A2", "Essential"),
        ("service-mapping", "B1", "Optional"),
    }
    assert role["requirements"][-1]["relation"] == "Optional"
    assert role["mappings"][0]["target"].startswith("http://data.europa.eu/esco/occupation/")


def test_fallback_language_is_named(api):
    week = next(
        a
        for a in api.get("/api/v1/activities?lang=it").json["activities"]
        if a["id"] == "week-italy"
    )
    assert week["label"] == "Settimana di formazione in Italia"
    assert "label_lang" not in week
    assert week["editorial_note"] == "Dates to be confirmed by the host partner."
    assert week["editorial_note_lang"] == "en"


@pytest.mark.parametrize(
    "query,expected",
    [
        ("", ["coaching-language", "module-networks", "week-italy", "week-italy-stakeholders"]),
        ("format=Online", ["module-networks"]),
        ("format=inperson", ["week-italy", "week-italy-stakeholders"]),
        ("format=Online,Coaching", ["coaching-language", "module-networks"]),
        (
            "country=IT",
            ["coaching-language", "module-networks", "week-italy", "week-italy-stakeholders"],
        ),
        ("country=RO", []),
        ("language=ro", ["coaching-language"]),
        (
            "start=2027-05-01&end=2027-05-31",
            ["module-networks", "week-italy", "week-italy-stakeholders"],
        ),
        ("start=2027-05-11&end=2027-05-11", ["module-networks", "week-italy-stakeholders"]),
        ("competence=referral-pathways", ["module-networks", "week-italy-stakeholders"]),
        ("level=B1", ["week-italy"]),
        ("level=A1", ["module-networks"]),
        ("competence=adult-language-pedagogy&level=B2", ["coaching-language"]),
    ],
)
def test_activity_filters(api, query, expected):
    body = api.get(f"/api/v1/activities?{query}").json
    assert ids(body["activities"]) == expected
    assert body["count"] == len(expected)


def test_activity_facts(api):
    week = next(
        a for a in api.get("/api/v1/activities").json["activities"] if a["id"] == "week-italy"
    )
    assert week["kind"] == "mobility"
    assert (week["start"], week["end"], week["hours"], week["capacity"]) == (
        "2027-05-10",
        "2027-05-14",
        30,
        24,
    )
    assert (week["entry_level"], week["level_reached"]) == ("B1", "B2")
    assert week["prerequisites"] == ["module-networks"]
    assert week["sessions"] == ["week-italy-stakeholders"]
    assert (week["place"], week["country"], week["format"]) == ("bologna", "IT", "InPerson")


def test_the_bundled_framework_reads_completely():
    """Every competence and role of the real framework answers in every language."""
    store = EmbeddedStore()
    load_bundled(store)
    app = create_app({"data_dir": "", "load_bundled": False}, store=store)
    api = CheckedClient(app.test_client())
    listed = api.get("/api/v1/competences").json["competences"]
    expected = {
        str(r["c"]).rsplit("/", 1)[-1]
        for r in store.select("SELECT ?c WHERE { ?c a ?cls }", {"cls": RG.Competence})
    }
    assert set(ids(listed)) == expected and expected
    for lang in ("en", "it", "ro", "nl"):
        for item in api.get(f"/api/v1/competences?lang={lang}").json["competences"]:
            assert item["label"] and item.get("label_lang", lang) in ("en", "it", "ro", "nl")
    for item in listed:
        detail = api.get(f"/api/v1/competences/{item['id']}?lang=it").json
        assert detail["id"] == item["id"]
    for role in api.get("/api/v1/roles").json["roles"]:
        assert api.get(f"/api/v1/roles/{role['id']}?lang=nl").status_code == 200
    assert api.get("/api/v1/activities?lang=ro").status_code == 200
    store.close()


def test_one_freshness_check_per_request(api, monkeypatch):
    """The catalogue's version is read once per request, however many views it builds."""
    from service.web.api import catalogue_cache

    api.get("/api/v1/competences/adult-language-pedagogy")  # warm the caches
    reads: list[str] = []
    original = catalogue_cache.catalogue_version

    def counted(store):
        reads.append(original(store))
        return reads[-1]

    monkeypatch.setattr(catalogue_cache, "catalogue_version", counted)
    for url in (
        "/api/v1/competences/adult-language-pedagogy",
        "/api/v1/roles/language-trainer",
        "/api/v1/activities?country=IT",
    ):
        reads.clear()
        assert api.get(url).status_code == 200
        assert len(reads) == 1, (url, reads)
