"""The IRIs the whole product agrees on: vocabularies, item namespaces and named graphs.

Public graphs are readable by anyone through the SPARQL endpoint; every other graph is private
(profiles, surveys, tokens, history) and never reachable from a public query.
"""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/reintegra/"

RG = Namespace(BASE + "ontology#")
ESCO = Namespace("http://data.europa.eu/esco/model#")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SH = Namespace("http://www.w3.org/ns/shacl#")

FRAMEWORK = BASE + "framework"
STRAND = Namespace(BASE + "strand/")
AREA = Namespace(BASE + "area/")
COMPETENCE = Namespace(BASE + "competence/")
LEVEL = Namespace(BASE + "level/")
DESCRIPTOR = Namespace(BASE + "descriptor/")
OUTCOME = Namespace(BASE + "outcome/")
ROLE = Namespace(BASE + "role/")
REQUIREMENT = Namespace(BASE + "requirement/")
PARTNER = Namespace(BASE + "partner/")
PLACE = Namespace(BASE + "place/")
ACTIVITY = Namespace(BASE + "activity/")
PROFILE = Namespace(BASE + "profile/")
COHORT = Namespace(BASE + "cohort/")

ESCO_SKILL = "http://data.europa.eu/esco/skill/"
ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/"

GRAPH = BASE + "graph/"
ONTOLOGY_GRAPH = GRAPH + "ontology"
SHAPES_GRAPH = GRAPH + "shapes"
FRAMEWORK_GRAPH = GRAPH + "framework"
ESCO_GRAPH = GRAPH + "esco"
PUBLIC_GRAPHS: tuple[str, ...] = (ONTOLOGY_GRAPH, SHAPES_GRAPH, FRAMEWORK_GRAPH, ESCO_GRAPH)

PRIVATE_GRAPH = GRAPH + "private/"
SYSTEM_GRAPH = PRIVATE_GRAPH + "system"
HISTORY_GRAPH = PRIVATE_GRAPH + "history"
PROFILE_GRAPH = PRIVATE_GRAPH + "profile/"
SURVEY_GRAPH = PRIVATE_GRAPH + "survey/"
COHORT_GRAPH = PRIVATE_GRAPH + "cohorts"

LANGUAGES: tuple[str, ...] = ("en", "it", "ro", "nl")
DEFAULT_LANGUAGE = "en"

PREFIXES: dict[str, str] = {
    "rg": str(RG),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "schema": str(SCHEMA),
    "esco": str(ESCO),
    "prov": str(PROV),
    "sh": str(SH),
    "rgsh": BASE + "shapes#",
    "strand": str(STRAND),
    "area": str(AREA),
    "comp": str(COMPETENCE),
    "level": str(LEVEL),
    "desc": str(DESCRIPTOR),
    "outcome": str(OUTCOME),
    "role": str(ROLE),
    "req": str(REQUIREMENT),
    "partner": str(PARTNER),
    "place": str(PLACE),
    "act": str(ACTIVITY),
}


def is_public_graph(iri: str) -> bool:
    """Only the listed graphs are public; anything unknown is treated as private."""
    return iri in PUBLIC_GRAPHS


def local_id(iri: str) -> str:
    """The id a URL uses for an item: the last segment of its IRI."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
