"""Every page in Italian, Romanian and Dutch holds no English word of the interface.

Each page is rendered in English and in the other language. The visible text of the interface
is read from both: text in an element marked with another ``lang`` (an ESCO label, a framework
text that falls back to English, an API message) is the content's, not the interface's, and so
are query text, code and the cells of a query result. Then:

* no English message of the catalogue (nor any of its plural forms) is left in the page,
* no English label of an ontology term is left where the term has its own label in the language,
* no piece of interface text reads the same as in the English page, but for names that are the
  same in every language (listed below, each with its reason).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import fixture_sources
from service.app import create_app
from service.catalogue.vocabulary import read_vocabulary
from service.docs.model import read_framework
from service.docs.site import build_site, site_pages
from service.i18n.check import read_catalogue
from service.store import EmbeddedStore
from service.store.bundle import load_sources

LOCALE = Path(__file__).resolve().parent.parent / "service" / "i18n" / "locale"
LANGUAGES = ("it", "ro", "nl")

#: Words that are the same in the language as in English, by design.
SAME_WORDS = {
    "it": {"Partner"},  # rg:Partner is "Partner" in Italian (invariable)
    "ro": {"transversal"},  # ESCO's own Romanian name for transversal skills
    "nl": {"Partner"},  # rg:Partner is "Partner" in Dutch
}
#: Whole texts that are the same in every language: names, codes, formats, figures.
SAME_TEXTS = {
    "Reintegra",
    "English",
    "Italiano",
    "Română",
    "Nederlands",
    "SPARQL JSON",
    "SPARQL XML",
    "CSV",
    "TSV",
    "Turtle",
    "N-Triples",
    "RDF/XML",
    "JSON-LD",
    "ESCO",
    "online",  # rg:Online has the same label in every language
    "blended",  # rg:Blended in Italian and Dutch
    "coaching",  # rg:Coaching in every language
}
SKIPPED = {"script", "style", "textarea", "code", "pre"}
ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
VOID = {"meta", "link", "br", "input", "img", "hr"}


class InterfaceText(HTMLParser):
    """The pieces of visible text that belong to the interface of a page in ``lang``."""

    def __init__(self, lang: str):
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.stack: list[bool] = []  # per open element: is its content skipped?
        self.pieces: list[str] = []
        self.in_results = False

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        skip = self._skipped() or tag in SKIPPED
        skip = skip or (values.get("lang") not in (None, self.lang) and tag != "html")
        results = "sparql-results" in (values.get("class") or "")
        if tag in ("thead", "tbody") and self.in_results:
            skip = True  # the cells of a query result are data
        if results:
            self.in_results = True
        if not skip:
            self.pieces += [values[a].strip() for a in ATTRIBUTES if values.get(a)]
        if tag not in VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._skipped():
            self.pieces.append(text)


def interface_text(html: str, lang: str) -> list[str]:
    parser = InterfaceText(lang)
    parser.feed(html)
    return parser.pieces


def _english_messages() -> list[str]:
    """The English source of every catalogue entry, as the literal runs between placeholders."""
    runs = []
    for message in read_catalogue(LOCALE / "messages.pot"):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in filter(None, ids):
            for run in re.split(r"%\(\w+\)[ds]|%[ds]", text):
                run = run.strip(" .:()·")
                if re.search(r"[A-Za-z]{2}", run):
                    runs.append(run)
    return runs


ENGLISH = _english_messages()


def _found(run: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(run)}(?!\w)", text) is not None


def assert_no_english(
    pages: dict[str, str], lang: str, vocabulary, where: str, content: frozenset[str] = frozenset()
) -> None:
    """``pages`` maps language to the HTML of one page; the check for ``lang`` against en.

    ``content`` holds the framework's texts that its authors wrote the same in both languages.
    """
    english = interface_text(pages["en"], "en")
    translated = interface_text(pages[lang], lang)
    assert translated, where
    text = "\n".join(translated)
    left = [run for run in ENGLISH if _found(run, text) and run not in SAME_WORDS[lang]]
    assert left == [], f"{where} in {lang}: English messages left: {left}"
    labels = [
        texts["en"]
        for texts in vocabulary.labels.values()
        if "en" in texts and texts.get(lang, "").casefold() != texts["en"].casefold()
    ]
    left = [label for label in labels if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text, re.I)]
    assert left == [], f"{where} in {lang}: English names of framework terms left: {left}"
    same = sorted(
        piece
        for piece in set(translated) & set(english)
        if re.search(r"[A-Za-z]{3}", piece)
        and piece not in SAME_TEXTS
        and piece not in SAME_WORDS[lang]
        and piece not in content
    )
    assert same == [], f"{where} in {lang}: text identical to the English page: {same}"


@pytest.fixture(scope="module")
def fixture_store():
    store = EmbeddedStore()
    load_sources(store, fixture_sources())
    yield store
    store.close()


@pytest.fixture(scope="module")
def vocabulary(fixture_store):
    return read_vocabulary(fixture_store)


@pytest.fixture(scope="module")
def web(fixture_store):
    app = create_app({"data_dir": "", "load_bundled": False}, store=fixture_store)

    @app.get("/test-only/broken")
    def broken():
        raise RuntimeError("a bug, on purpose")

    return app.test_client()


SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3"
PAGES = [
    ("home", "GET", "/", {}),
    ("404", "GET", "/no-such-page", {}),
    ("400", "GET", "/", {"lang": "xx"}),
    ("400 in the API", "GET", "/api/v1/competences", {"limit": "-1"}),
    ("405", "POST", "/", {}),
    ("500", "GET", "/test-only/broken", {}),
    ("query page", "GET", "/sparql", {}),
    ("an example", "GET", "/sparql", {"example": "roles-needing-competence"}),
    ("select result", "GET", "/sparql", {"query": SELECT}),
    ("ask result", "GET", "/sparql", {"query": "ASK WHERE { ?s ?p ?o }"}),
    ("graph result", "GET", "/sparql", {"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2"}),
    ("query error", "GET", "/sparql", {"query": "SELECT nonsense"}),
]


def _render(client, method: str, path: str, args: dict, lang: str) -> str:
    headers = {"Accept": "text/html", "Accept-Language": lang}
    query = {"lang": lang, **args}  # an invalid lang of the case stays: Accept-Language decides
    response = client.open(path, method=method, query_string=query, headers=headers)
    assert response.mimetype == "text/html", (path, response.status_code)
    return response.get_data(as_text=True)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("name", "method", "path", "args"), PAGES, ids=[p[0] for p in PAGES])
def test_web_pages_hold_no_english(web, vocabulary, lang, name, method, path, args):
    pages = {code: _render(web, method, path, args, code) for code in ("en", lang)}
    assert f'<html lang="{lang}">' in pages[lang]
    assert_no_english(pages, lang, vocabulary, name)


@pytest.fixture(scope="module")
def site(fixture_store, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    build_site(fixture_store, out)
    return out


def test_every_kind_of_docs_page_is_checked(fixture_store):
    kinds = {
        re.sub(r"-.*", "", name.removesuffix(".html"))
        for name in site_pages(read_framework(fixture_store))
    }
    assert kinds == {
        "index",
        "levels",
        "roles",
        "activities",
        "esco",
        "strand",
        "competence",
        "role",
        "activity",
        "outcomes",
    }


def same_in_the_graph(docs, lang: str) -> frozenset[str]:
    """Framework texts (labels, definitions) written the same in ``lang`` as in English."""
    return frozenset(
        texts["en"]
        for fields in docs.texts.values()
        for texts in fields.values()
        if "en" in texts and texts.get(lang) == texts["en"]
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_docs_pages_hold_no_english(site, fixture_store, vocabulary, lang):
    docs = read_framework(fixture_store)
    content = same_in_the_graph(docs, lang)
    for filename in site_pages(docs):
        pages = {
            code: (site / code / filename).read_text(encoding="utf-8") for code in ("en", lang)
        }
        assert_no_english(pages, lang, vocabulary, filename, content)


def test_error_pages_speak_the_visitors_language(web):
    """An unknown ``lang`` cannot choose the language of its own error: Accept-Language does."""
    response = web.get("/?lang=xx", headers={"Accept": "text/html", "Accept-Language": "ro"})
    assert response.status_code == 400 and response.headers["Content-Language"] == "ro"
    page = response.get_data(as_text=True)
    assert "Cerere nevalidă" in page and "Câmp:" in page
    assert '<p class="error-message" lang="en">unknown language &#39;xx&#39;' in page
    response = web.get("/no-such-page?lang=nl", headers={"Accept": "text/html"})
    assert response.headers["Content-Language"] == "nl" and "Pagina niet gevonden" in (
        response.get_data(as_text=True)
    )


def test_the_check_finds_english_left_in_a_page(vocabulary):
    """The check itself: an untranslated heading or a hard-coded word is caught."""
    english = '<html lang="en"><body><h1>Results</h1><p>Field: <code>/x</code></p></body></html>'
    left = '<html lang="it"><body><h1>Results</h1><p>Campo: <code>/x</code></p></body></html>'
    with pytest.raises(AssertionError, match="English messages left"):
        assert_no_english({"en": english, "it": left}, "it", vocabulary, "test")
    english = '<html lang="en"><body><p>Made with care</p></body></html>'
    with pytest.raises(AssertionError, match="identical to the English page"):
        assert_no_english(
            {"en": english, "it": english.replace('"en"', '"it"')}, "it", vocabulary, "t"
        )
    marked = '<html lang="it"><body><p lang="en">Results</p><p>Risultati</p></body></html>'
    assert_no_english({"en": english, "it": marked}, "it", vocabulary, "test")
