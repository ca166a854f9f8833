"""Names of ESCO and SKOS terms that the framework's graph may hold no label for.

ESCO's skill types and reuse levels and the SKOS mapping relations are not terms of our
ontology; when the loaded graphs label them in a language that label wins, and otherwise these
gettext messages (in ESCO's own wording) name them. Each message's context names the term.
"""

from __future__ import annotations

from babel.support import NullTranslations


def term_names(t: NullTranslations) -> dict[str, str]:
    """The names by the term's local name, in the language of ``t``."""
    return {
        "skill": t.pgettext("esco:skill", "skill"),
        "knowledge": t.pgettext("esco:knowledge", "knowledge"),
        "transversal": t.pgettext("esco:transversal", "transversal"),
        "cross-sector": t.pgettext("esco:cross-sector", "cross-sector"),
        "sector-specific": t.pgettext("esco:sector-specific", "sector-specific"),
        "occupation-specific": t.pgettext("esco:occupation-specific", "occupation-specific"),
        "exactMatch": t.pgettext("skos:exactMatch", "exact match"),
        "closeMatch": t.pgettext("skos:closeMatch", "close match"),
        "broadMatch": t.pgettext("skos:broadMatch", "broader match"),
        "narrowMatch": t.pgettext("skos:narrowMatch", "narrower match"),
        "relatedMatch": t.pgettext("skos:relatedMatch", "related"),
    }
