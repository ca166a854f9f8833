"""``reintegra docs``: a static, multilingual HTML site of the framework, built from the graph.

Every page exists once per language under ``<lang>/`` with the same file name, so the language
switcher links to ``../<other>/<same page>``; all links are relative, so the site opens from disk
and can be published as it is. Each activity also gets a one-page learning outcomes sheet for
participants in their language. The words of the pages are gettext messages of the templates,
rendered with the language's catalogue (there is no request here, so no Flask); the names of
framework terms are the ontology's own labels.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from service.catalogue.vocabulary import Vocabulary, read_vocabulary
from service.docs.model import Activity, FrameworkDocs, Item, read_framework
from service.docs.terms import term_names
from service.errors import BadRequest
from service.i18n import LANGUAGE_NAMES, translations
from service.namespaces import DEFAULT_LANGUAGE, LANGUAGES, local_id
from service.store import Store


def environment(lang: str = DEFAULT_LANGUAGE) -> Environment:
    """Templates whose ``_()``, ``ngettext`` and ``npgettext`` speak ``lang``."""
    env = Environment(
        loader=PackageLoader("service.docs", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(lang), newstyle=True)
    return env


#: The ontology class that names each kind of activity.
KIND_TERMS = {"mobility": "Mobility", "session": "TrainingSession", "activity": "TrainingActivity"}


def natural_key(text: str) -> list[Any]:
    """Sort ``week-italy-2`` before ``week-italy-10``."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


class Page:
    """What a template needs to print one page in one language."""

    def __init__(
        self,
        docs: FrameworkDocs,
        vocabulary: Vocabulary,
        lang: str,
        filename: str,
        languages: Sequence[str],
    ):
        self.docs = docs
        self.vocabulary = vocabulary
        self.lang = lang
        self.filename = filename
        self.languages = [(code, LANGUAGE_NAMES.get(code, code)) for code in languages]
        self.locale = Locale.parse(lang)
        self.translations = translations(lang)
        self.term_names = term_names(self.translations)

    # Texts from the graph, with an honest fallback marked by its own lang attribute.

    def has(self, iri: str, field: str) -> bool:
        return bool(self.docs.texts.get(iri, {}).get(field))

    def text(self, iri: str, field: str = "label") -> Markup:
        texts = self.docs.texts.get(iri, {}).get(field, {})
        if field == "label" and not texts:
            texts = self.docs.texts.get(iri, {}).get("rdfs_label", {})
        for code in (self.lang, DEFAULT_LANGUAGE, *sorted(texts)):
            if code in texts:
                if code == self.lang:
                    return escape(texts[code])
                attr = f' lang="{escape(code)}"' if code else ""
                return Markup(f"<span{attr}>{escape(texts[code])}</span>")
        return escape(local_id(iri))

    def term(self, iri: str) -> Markup:
        """A vocabulary or ESCO term: the graph's label in this language, else the catalogue's."""
        texts = self.docs.texts.get(iri, {})
        if self.lang in texts.get("label", {}) or self.lang in texts.get("rdfs_label", {}):
            return self.text(iri)
        if local_id(iri) in self.term_names:
            return escape(self.term_names[local_id(iri)])
        return self.text(iri)

    def title(self, name: str) -> str:
        """The ontology's label of ``rg:<name>`` in this language, as a heading."""
        return self.vocabulary.title(name, self.lang)

    def kind(self, activity: Activity) -> str:
        """What the activity is (training week, session, activity), named by the ontology."""
        return self.title(KIND_TERMS.get(activity.kind, "TrainingActivity"))

    # Links between pages (all in the same language folder).

    def href(self, iri: str) -> str:
        item = self.docs.items.get(iri)
        if iri in self.docs.activities:
            return f"activity-{local_id(iri)}.html"
        if item is None:
            return iri  # outside the framework (ESCO): its own IRI resolves on the web
        if item.kind == "area":
            return f"strand-{local_id(item.broader)}.html#area-{item.id}"
        if item.kind == "level":
            return f"levels.html#level-{item.id}"
        if item.kind in ("strand", "competence", "role"):
            return f"{item.kind}-{item.id}.html"
        return "index.html"

    def name(self, iri: str) -> Markup:
        """Notation and label, as an item is named in lists."""
        item = self.docs.item(iri)
        if item.kind == "level":
            return self.text(iri)
        prefix = f"{item.notation} " if item.notation else ""
        return escape(prefix) + self.text(iri)

    # Facts printed for people: dates, hours, languages and countries in the page's language.

    def dates(self, activity: Activity) -> str:
        start = _parse_date(activity.start)
        end = _parse_date(activity.end)
        if start and end and start != end:
            return (
                f"{format_date(start, 'long', locale=self.locale)} – "
                f"{format_date(end, 'long', locale=self.locale)}"
            )
        if start:
            return format_date(start, "long", locale=self.locale)
        return ""

    def hours(self, hours: float | None) -> str:
        if hours is None:
            return ""
        # A fraction takes the plural ("1.5 hours"); gettext chooses forms by whole numbers.
        count = int(hours) if float(hours).is_integer() else 2
        text = self.translations.ngettext("%(num)s hour", "%(num)s hours", count)
        return text % {"num": format_decimal(hours, locale=self.locale)}

    def language_name(self, code: str) -> str:
        return self.locale.languages.get(code.split("-")[0].lower(), code)

    def place(self, iri: str) -> str:
        place = self.docs.places.get(iri)
        if place is None:
            return ""
        country = self.locale.territories.get(place.country.upper(), place.country)
        return ", ".join(part for part in (place.city, country) if part)

    def outcomes_of(self, activity: Activity) -> list[Any]:
        found = [
            self.docs.outcomes[o] for o in activity.links["outcome"] if o in self.docs.outcomes
        ]
        return sorted(found, key=lambda o: natural_key(o.id))

    def competences_of(self, activity: Activity) -> list[Item]:
        return sorted(
            (self.docs.item(c) for c in activity.links["competence"]),
            key=lambda i: (i.notation or "~", i.id),
        )

    def sessions_of(self, activity: Activity) -> list[Activity]:
        found = [self.docs.activities[s] for s in activity.links["session"]]
        found += [
            a
            for a in self.docs.activities.values()
            if a.super_event == activity.iri and a.iri not in activity.links["session"]
        ]
        return sorted(found, key=lambda a: (a.start or "~", a.id))


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def pages(docs: FrameworkDocs) -> list[tuple[str, str, dict[str, Any]]]:
    """Every page of one language: (file name, template, context)."""
    found: list[tuple[str, str, dict[str, Any]]] = [
        ("index.html", "index.html", {}),
        ("levels.html", "levels.html", {}),
        ("roles.html", "roles.html", {}),
        ("activities.html", "activities.html", {}),
        ("esco.html", "esco.html", {}),
    ]
    for strand in docs.of_kind("strand"):
        found.append((f"strand-{strand.id}.html", "strand.html", {"strand": strand}))
    for competence in docs.of_kind("competence"):
        found.append(
            (f"competence-{competence.id}.html", "competence.html", {"competence": competence})
        )
    for role in docs.of_kind("role"):
        found.append((f"role-{role.id}.html", "role.html", {"role": role}))
    for activity in docs.activity_list():
        context = {"activity": activity}
        found.append((f"activity-{activity.id}.html", "activity.html", context))
        found.append((f"outcomes-{activity.id}.html", "outcomes.html", context))
    return found


def build_site(store: Store, outdir: Path, languages: Sequence[str] = LANGUAGES) -> list[Path]:
    """Write the site into ``outdir``; returns the files written."""
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown or not languages:
        raise BadRequest(
            f"unknown language {', '.join(unknown) or '(none)'}; use one of {', '.join(LANGUAGES)}"
        )
    languages = [code for code in LANGUAGES if code in languages]
    docs = read_framework(store)
    vocabulary = read_vocabulary(store)
    written: list[Path] = []
    outdir.mkdir(parents=True, exist_ok=True)

    static = resources.files("service")
    for name, source in (
        ("style.css", static.joinpath("web", "static", "style.css")),
        ("docs.css", static.joinpath("docs", "static", "docs.css")),
    ):
        target = outdir / name
        target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
        written.append(target)

    root = outdir / "index.html"
    root.write_text(
        environment()
        .get_template("languages.html")
        .render(
            docs=docs,
            languages=[(code, LANGUAGE_NAMES.get(code, code)) for code in languages],
            pages={
                code: Page(docs, vocabulary, code, "index.html", languages) for code in languages
            },
        ),
        encoding="utf-8",
    )
    written.append(root)

    all_pages = pages(docs)
    for lang in languages:
        env = environment(lang)
        folder = outdir / lang
        folder.mkdir(exist_ok=True)
        for filename, template, context in all_pages:
            page = Page(docs, vocabulary, lang, filename, languages)
            html = env.get_template(template).render(p=page, docs=docs, **context)
            target = folder / filename
            target.write_text(html, encoding="utf-8")
            written.append(target)
    return written


def site_pages(docs: FrameworkDocs) -> list[str]:
    """The file names every language folder holds, for checks and tests."""
    return [filename for filename, _, _ in pages(docs)]


__all__ = ["Page", "build_site", "read_framework", "site_pages"]
