"""``reintegra docs``: the static multilingual site, generated from the fixture framework."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from markupsafe import escape
from rdflib import OWL, RDF, Graph

from conftest import FIXTURE_FRAMEWORK
from service.cli.commands import framework_store, main
from service.docs import build_site, read_framework, site_pages
from service.errors import BadRequest
from service.namespaces import FRAMEWORK_GRAPH, LANGUAGES, RG
from service.store.bundle import framework_files


class Links(HTMLParser):
    """Every link target and every element id of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()
        self.html_lang: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name):
                self.targets.append(attributes[name])


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


@pytest.fixture
def site(store, tmp_path):
    outdir = tmp_path / "site"
    build_site(store, outdir)
    return outdir


def fixture_graph() -> Graph:
    graph = Graph()
    for path in sorted(FIXTURE_FRAMEWORK.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def test_every_page_exists_in_every_language(store, site):
    names = site_pages(read_framework(store))
    # index, levels, roles, activities, esco; 2 strands; 3 competences; 1 role; 4 activities
    # with their outcome sheets.
    assert len(names) == 5 + 2 + 3 + 1 + 4 * 2
    for lang in LANGUAGES:
        for name in names:
            page = site / lang / name
            assert page.is_file(), f"{lang}/{name} is missing"
            assert parse(page).html_lang == lang
    assert (site / "index.html").is_file()
    assert (site / "style.css").read_text() == (
        Path(__file__).parent.parent / "service" / "web" / "static" / "style.css"
    ).read_text()


def broken_links(site: Path) -> tuple[list[str], int]:
    """Relative links whose file or anchor does not exist, and how many links were checked."""
    parsed = {page.resolve(): parse(page) for page in sorted(site.rglob("*.html"))}
    broken, checked = [], 0
    for page, links in parsed.items():
        for target in links.targets:
            parts = urlsplit(target)
            if parts.scheme in ("http", "https"):
                if parts.netloc != "data.europa.eu":
                    broken.append(f"{page}: unexpected external link {target}")
                continue
            if parts.scheme or target.startswith("/"):
                broken.append(f"{page}: {target} is not relative")
                continue
            destination = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not destination.is_file():
                broken.append(f"{page}: {target} is missing")
            elif parts.fragment and destination.suffix == ".html":
                if parts.fragment not in parsed[destination].ids:
                    broken.append(f"{page}: {target} has no such anchor")
            checked += 1
    return broken, checked


def test_every_relative_link_resolves_to_a_file_and_anchor(site):
    broken, checked = broken_links(site)
    assert broken == []
    assert checked > 500


@pytest.mark.skipif(not framework_files(), reason="the bundled framework is not written yet")
def test_site_of_the_bundled_framework(tmp_path):
    store = framework_store(None)
    try:
        build_site(store, tmp_path)
        names = site_pages(read_framework(store))
    finally:
        store.close()
    for lang in LANGUAGES:
        assert all((tmp_path / lang / name).is_file() for name in names)
    broken, _ = broken_links(tmp_path)
    assert broken == []
    graph = Graph()
    for path in framework_files():
        graph.parse(path, format="turtle")
    versions = {str(v) for v in graph.objects(None, OWL.versionInfo) if "ESCO" in str(v)}
    esco_page = (tmp_path / "en" / "esco.html").read_text(encoding="utf-8")
    assert all(version in esco_page for version in versions)


def test_language_switcher_links_the_same_page_in_the_other_languages(site):
    links = parse(site / "it" / "competence-service-mapping.html").targets
    for lang in ("en", "ro", "nl"):
        assert f"../{lang}/competence-service-mapping.html" in links


def test_descriptors_at_every_level_in_every_language(store, site):
    graph = fixture_graph()
    competences = set(graph.subjects(RDF.type, RG.Competence))
    assert len(competences) == 3
    descriptors = set(graph.subjects(RDF.type, RG.LevelDescriptor))
    assert len(descriptors) == 18
    for descriptor in descriptors:
        competence = graph.value(descriptor, RG.forCompetence)
        level = graph.value(descriptor, RG.atLevel)
        for statement in graph.objects(descriptor, RG.statement):
            page = (
                site / statement.language / f"competence-{str(competence).rsplit('/', 1)[1]}.html"
            )
            html = page.read_text(encoding="utf-8")
            assert escape(str(statement)) in html, f"{descriptor} {statement.language}"
            assert f'id="level-{str(level).rsplit("/", 1)[1]}"' in html
    for lang in LANGUAGES:
        html = (site / lang / "competence-referral-pathways.html").read_text(encoding="utf-8")
        assert html.count('<tr id="level-') == 6


def test_competence_page_shows_esco_label_from_the_graph_and_the_roles(site):
    html = (site / "ro" / "competence-adult-language-pedagogy.html").read_text(encoding="utf-8")
    assert "Pedagogia limbilor pentru adulți" in html
    assert "teach languages" in html  # the ESCO skill's English label from esco-alignment.ttl
    assert "http://data.europa.eu/esco/skill/a9ead737-a7cd-4046-adea-1ff7326db09f" in html
    assert "role-language-trainer.html" in html
    assert "activity-week-italy.html" in html


def test_role_page_lists_requirements_with_level_and_relation(site):
    html = (site / "it" / "role-language-trainer.html").read_text(encoding="utf-8")
    assert "Formatore linguistico" in html
    assert "language school teacher" in html
    assert html.count("competence-") >= 3
    assert "B2 Esperto" in html
    # Relation types are named by the vocabulary's own labels in the page's language.
    assert "<td>essenziale</td>" in html and "<td>opzionale</td>" in html


def test_esco_table_lists_every_mapping(site):
    html = (site / "en" / "esco.html").read_text(encoding="utf-8")
    assert html.count('class="esco-link"') == 4  # three competence mappings, one role mapping
    assert "support migrants to integrate in the receiving country" in html


def test_learning_outcomes_sheet_in_the_participants_language(site):
    html = (site / "it" / "outcomes-week-italy.html").read_text(encoding="utf-8")
    assert "Settimana di formazione in Italia" in html
    assert "10 maggio 2027 – 14 maggio 2027" in html
    assert "inglese, italiano" in html
    assert "Bologna, Italia" in html
    assert "B1 Integratore" in html and "B2 Esperto" in html
    # No outcome of its own: the descriptor of the competence at the level reached is shown.
    assert "Sono in grado di adattare a casi complessi: didattica delle lingue per adulti." in html
    assert "Incontro con gli attori locali" in html  # its programme
    nl = (site / "nl" / "outcomes-module-networks.html").read_text(encoding="utf-8")
    assert "Ik kan een sociale kaart tekenen." in nl  # the module's own learning outcome
    assert "In eigen tempo" in nl
    assert "Engels, Italiaans" in nl


def test_missing_translation_falls_back_to_english_marked_as_such(store, tmp_path):
    store.update(
        f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        DELETE DATA {{ GRAPH <{FRAMEWORK_GRAPH}> {{
          <https://w3id.org/reintegra/competence/service-mapping> skos:prefLabel
            "Mappatura dei servizi"@it .
        }} }}"""
    )
    build_site(store, tmp_path, ["it"])
    html = (tmp_path / "it" / "competence-service-mapping.html").read_text(encoding="utf-8")
    assert '<h1>EFF-A-01 <span lang="en">Service mapping</span></h1>' in html
    assert ">EFF-A-01 Mappatura dei servizi<" not in html


def test_one_language_only(store, tmp_path):
    build_site(store, tmp_path, ["ro"])
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["ro"]
    links = parse(tmp_path / "ro" / "index.html").targets
    assert not any(link.startswith("../en/") for link in links)


def test_unknown_language_is_refused(store, tmp_path):
    with pytest.raises(BadRequest, match="unknown language fr"):
        build_site(store, tmp_path, ["fr"])


def test_command_writes_the_site(tmp_path):
    result = CliRunner().invoke(
        main,
        ["docs", str(tmp_path / "out"), "--lang", "nl", "--framework-dir", str(FIXTURE_FRAMEWORK)],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "nl" / "competence-service-mapping.html").is_file()
    assert not (tmp_path / "out" / "en").exists()


def test_command_refuses_an_unknown_language(tmp_path):
    result = CliRunner().invoke(main, ["docs", str(tmp_path), "--lang", "de"])
    assert result.exit_code == 2
    assert "unknown language de" in result.output


@pytest.mark.browser
def test_site_opens_in_a_real_browser(site, page):
    page.goto((site / "index.html").as_uri())
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/index.html")
    assert page.locator("h1").inner_text() == "Test framework"
    page.get_by_role("link", name="EFF-A-01 Service mapping").first.click()
    page.wait_for_url("**/en/competence-service-mapping.html")
    assert page.locator("h1").inner_text() == "EFF-A-01 Service mapping"
    assert "I can renew practice in: service mapping." in page.content()
    page.get_by_role("link", name="Italiano").click()
    page.wait_for_url("**/it/competence-service-mapping.html")
    assert page.locator("h1").inner_text() == "EFF-A-01 Mappatura dei servizi"
    assert page.locator("html").get_attribute("lang") == "it"
    row = page.locator("#level-C2 td").inner_text()
    assert row == "Sono in grado di rinnovare la pratica di: mappatura dei servizi."
    # The stylesheet loaded from disk: the header has the service's colours.
    colour = page.locator("header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(18, 60, 105)"
