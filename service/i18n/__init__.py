"""Choosing the visitor's language and picking texts in it, with an honest fallback."""

from __future__ import annotations

from collections.abc import Mapping

from werkzeug.datastructures import LanguageAccept

from service.errors import BadRequest
from service.namespaces import DEFAULT_LANGUAGE, LANGUAGES

LANGUAGE_NAMES = {"en": "English", "it": "Italiano", "ro": "Română", "nl": "Nederlands"}


def negotiate_language(
    explicit: str | None, accept: LanguageAccept | None, default: str = DEFAULT_LANGUAGE
) -> str:
    """An explicit ``lang`` must be one we publish; Accept-Language falls back quietly."""
    if explicit:
        code = explicit.strip().lower()
        if code not in LANGUAGES:
            raise BadRequest(
                f"unknown language {explicit!r}; use one of {', '.join(LANGUAGES)}",
                pointer="/lang",
            )
        return code
    if accept:
        best = accept.best_match(LANGUAGES)
        if best:
            return best.split("-")[0].lower()
    return default


def check_language(lang: str) -> str:
    """A language code the service publishes in, or a 400 naming the parameter."""
    if lang not in LANGUAGES:
        raise BadRequest(
            f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}", pointer="/lang"
        )
    return lang


def pick(texts: Mapping[str, str], lang: str) -> tuple[str | None, str | None]:
    """The text in ``lang``, else English, else any; with the language actually used."""
    for code in (lang, DEFAULT_LANGUAGE, *sorted(texts)):
        if code in texts:
            return texts[code], code
    return None, None


# Words of the pages themselves (not of the framework, which lives in the graph).
UI_TEXT: dict[str, dict[str, str]] = {
    "tagline": {
        "en": "Competence framework for staff who work with migrants",
        "it": "Quadro delle competenze per chi lavora con persone migranti",
        "ro": "Cadru de competențe pentru personalul care lucrează cu migranți",
        "nl": "Competentiekader voor professionals die met migranten werken",
    },
    "strands": {"en": "Strands", "it": "Ambiti", "ro": "Direcții", "nl": "Pijlers"},
    "areas": {"en": "areas", "it": "aree", "ro": "domenii", "nl": "gebieden"},
    "competences": {
        "en": "competences",
        "it": "competenze",
        "ro": "competențe",
        "nl": "competenties",
    },
    "in_numbers": {
        "en": "The framework in numbers",
        "it": "Il quadro in cifre",
        "ro": "Cadrul în cifre",
        "nl": "Het kader in cijfers",
    },
    "levels": {
        "en": "proficiency levels",
        "it": "livelli di padronanza",
        "ro": "niveluri de competență",
        "nl": "beheersingsniveaus",
    },
    "descriptors": {
        "en": "level descriptors",
        "it": "descrittori di livello",
        "ro": "descriptori de nivel",
        "nl": "niveaubeschrijvingen",
    },
    "roles": {
        "en": "target roles",
        "it": "ruoli di riferimento",
        "ro": "roluri vizate",
        "nl": "doelrollen",
    },
    "activities": {
        "en": "training activities",
        "it": "attività formative",
        "ro": "activități de formare",
        "nl": "trainingsactiviteiten",
    },
    "partners": {"en": "partners", "it": "partner", "ro": "parteneri", "nl": "partners"},
    "empty": {
        "en": "The framework is empty: no strands are loaded.",
        "it": "Il quadro è vuoto: nessun ambito è caricato.",
        "ro": "Cadrul este gol: nu este încărcată nicio direcție.",
        "nl": "Het kader is leeg: er zijn geen strengen geladen.",
    },
    "language": {"en": "Language", "it": "Lingua", "ro": "Limba", "nl": "Taal"},
    "error": {"en": "Error", "it": "Errore", "ro": "Eroare", "nl": "Fout"},
    "home": {"en": "Home", "it": "Home", "ro": "Acasă", "nl": "Start"},
}


def ui(key: str, lang: str) -> str:
    texts = UI_TEXT[key]
    return texts.get(lang) or texts[DEFAULT_LANGUAGE]
