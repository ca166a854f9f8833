"""The words of the documentation pages themselves, in the four languages of the framework.

The framework's content (labels, definitions, descriptors, activities) always comes from the
graph. Only page furniture lives here, plus the names of vocabulary and ESCO terms for which
the graph holds no label in a language (the graph's own label wins when it has one).
"""

from __future__ import annotations

from service.namespaces import DEFAULT_LANGUAGE

WORDS: dict[str, dict[str, str]] = {
    "contents": {"en": "Contents", "it": "Indice", "ro": "Cuprins", "nl": "Inhoud"},
    "strands": {"en": "Strands", "it": "Ambiti", "ro": "Direcții", "nl": "Strengen"},
    "strand": {"en": "Strand", "it": "Ambito", "ro": "Direcție", "nl": "Streng"},
    "area": {
        "en": "Competence area",
        "it": "Area di competenza",
        "ro": "Domeniu de competență",
        "nl": "Competentiegebied",
    },
    "competences": {
        "en": "Competences",
        "it": "Competenze",
        "ro": "Competențe",
        "nl": "Competenties",
    },
    "competence": {"en": "Competence", "it": "Competenza", "ro": "Competență", "nl": "Competentie"},
    "levels": {
        "en": "Proficiency levels",
        "it": "Livelli di padronanza",
        "ro": "Niveluri de competență",
        "nl": "Beheersingsniveaus",
    },
    "level": {"en": "Level", "it": "Livello", "ro": "Nivel", "nl": "Niveau"},
    "roles": {
        "en": "Target roles",
        "it": "Ruoli di riferimento",
        "ro": "Roluri vizate",
        "nl": "Doelrollen",
    },
    "role": {"en": "Role", "it": "Ruolo", "ro": "Rol", "nl": "Rol"},
    "activities": {
        "en": "Training activities",
        "it": "Attività formative",
        "ro": "Activități de formare",
        "nl": "Trainingsactiviteiten",
    },
    "esco_alignment": {
        "en": "Alignment to ESCO",
        "it": "Allineamento a ESCO",
        "ro": "Alinierea la ESCO",
        "nl": "Aansluiting op ESCO",
    },
    "esco_intro": {
        "en": "Each competence and role is mapped to ESCO, the European classification of "
        "skills and occupations, with the SKOS relation that says how close the match is.",
        "it": "Ogni competenza e ogni ruolo è collegato a ESCO, la classificazione europea di "
        "abilità e occupazioni, con la relazione SKOS che indica quanto è stretta la "
        "corrispondenza.",
        "ro": "Fiecare competență și fiecare rol sunt puse în corespondență cu ESCO, clasificarea "
        "europeană a aptitudinilor și ocupațiilor, prin relația SKOS care arată cât de "
        "apropiată este corespondența.",
        "nl": "Elke competentie en elke rol is gekoppeld aan ESCO, de Europese classificatie van "
        "vaardigheden en beroepen, met de SKOS-relatie die aangeeft hoe nauw de koppeling is.",
    },
    "esco_version": {
        "en": "ESCO version",
        "it": "Versione di ESCO",
        "ro": "Versiunea ESCO",
        "nl": "ESCO-versie",
    },
    "definition": {"en": "Definition", "it": "Definizione", "ro": "Definiție", "nl": "Definitie"},
    "scope_note": {
        "en": "Scope",
        "it": "Ambito di applicazione",
        "ro": "Domeniu de aplicare",
        "nl": "Afbakening",
    },
    "knowledge": {"en": "Knowledge", "it": "Conoscenze", "ro": "Cunoștințe", "nl": "Kennis"},
    "skill": {"en": "Skills", "it": "Abilità", "ro": "Abilități", "nl": "Vaardigheden"},
    "attitude": {"en": "Attitudes", "it": "Atteggiamenti", "ro": "Atitudini", "nl": "Houding"},
    "descriptors": {
        "en": "Level descriptors",
        "it": "Descrittori per livello",
        "ro": "Descriptori pe niveluri",
        "nl": "Niveaubeschrijvingen",
    },
    "no_descriptor": {
        "en": "No descriptor yet.",
        "it": "Descrittore non ancora disponibile.",
        "ro": "Descriptor încă indisponibil.",
        "nl": "Nog geen beschrijving.",
    },
    "esco_mappings": {
        "en": "ESCO alignment",
        "it": "Allineamento ESCO",
        "ro": "Aliniere ESCO",
        "nl": "Aansluiting op ESCO",
    },
    "relation": {"en": "Relation", "it": "Relazione", "ro": "Relație", "nl": "Relatie"},
    "esco_concept": {
        "en": "ESCO concept (English label)",
        "it": "Concetto ESCO (etichetta inglese)",
        "ro": "Concept ESCO (denumire în engleză)",
        "nl": "ESCO-concept (Engelse benaming)",
    },
    "skill_type": {
        "en": "Skill type",
        "it": "Tipo di abilità",
        "ro": "Tipul aptitudinii",
        "nl": "Type vaardigheid",
    },
    "reuse_level": {
        "en": "Reuse level",
        "it": "Livello di riutilizzo",
        "ro": "Nivel de reutilizare",
        "nl": "Hergebruiksniveau",
    },
    "item": {
        "en": "Framework item",
        "it": "Elemento del quadro",
        "ro": "Element al cadrului",
        "nl": "Onderdeel van het kader",
    },
    "required_by": {
        "en": "Roles that require this competence",
        "it": "Ruoli che richiedono questa competenza",
        "ro": "Roluri care necesită această competență",
        "nl": "Rollen waarvoor deze competentie vereist is",
    },
    "addressed_by": {
        "en": "Activities that develop this competence",
        "it": "Attività che sviluppano questa competenza",
        "ro": "Activități care dezvoltă această competență",
        "nl": "Activiteiten die deze competentie ontwikkelen",
    },
    "required_level": {
        "en": "Required level",
        "it": "Livello richiesto",
        "ro": "Nivel cerut",
        "nl": "Vereist niveau",
    },
    "requirements": {
        "en": "Required competences",
        "it": "Competenze richieste",
        "ro": "Competențe cerute",
        "nl": "Vereiste competenties",
    },
    "esco_occupations": {
        "en": "ESCO occupations",
        "it": "Occupazioni ESCO",
        "ro": "Ocupații ESCO",
        "nl": "ESCO-beroepen",
    },
    "kind_mobility": {
        "en": "Training week",
        "it": "Settimana di formazione",
        "ro": "Săptămână de formare",
        "nl": "Trainingsweek",
    },
    "kind_session": {
        "en": "Session of a training week",
        "it": "Sessione di una settimana di formazione",
        "ro": "Sesiune a unei săptămâni de formare",
        "nl": "Onderdeel van een trainingsweek",
    },
    "kind_activity": {"en": "Activity", "it": "Attività", "ro": "Activitate", "nl": "Activiteit"},
    "training_weeks": {
        "en": "Training weeks",
        "it": "Settimane di formazione",
        "ro": "Săptămâni de formare",
        "nl": "Trainingsweken",
    },
    "other_activities": {
        "en": "Online modules, webinars, peer exchange and coaching",
        "it": "Moduli online, webinar, scambio tra pari e coaching",
        "ro": "Module online, webinarii, schimb între colegi și coaching",
        "nl": "Onlinemodules, webinars, intervisie en coaching",
    },
    "format": {"en": "Format", "it": "Modalità", "ro": "Format", "nl": "Vorm"},
    "organizer": {"en": "Led by", "it": "A cura di", "ro": "Organizat de", "nl": "Verzorgd door"},
    "place": {"en": "Place", "it": "Luogo", "ro": "Loc", "nl": "Plaats"},
    "dates": {"en": "Dates", "it": "Date", "ro": "Date", "nl": "Data"},
    "self_paced": {
        "en": "Self-paced: start when you like",
        "it": "In autoapprendimento: inizi quando vuoi",
        "ro": "În ritm propriu: începi când dorești",
        "nl": "In eigen tempo: begin wanneer je wilt",
    },
    "duration": {"en": "Duration", "it": "Durata", "ro": "Durată", "nl": "Duur"},
    "hours": {"en": "{n} hours", "it": "{n} ore", "ro": "{n} ore", "nl": "{n} uur"},
    "capacity": {"en": "Places", "it": "Posti", "ro": "Locuri", "nl": "Plaatsen"},
    "languages": {"en": "Languages", "it": "Lingue", "ro": "Limbi", "nl": "Talen"},
    "entry_level": {
        "en": "Entry level",
        "it": "Livello di ingresso",
        "ro": "Nivel de intrare",
        "nl": "Instapniveau",
    },
    "level_reached": {
        "en": "Level reached",
        "it": "Livello raggiunto",
        "ro": "Nivel atins",
        "nl": "Bereikt niveau",
    },
    "prerequisites": {
        "en": "Complete first",
        "it": "Da completare prima",
        "ro": "De parcurs mai întâi",
        "nl": "Eerst afronden",
    },
    "sessions": {"en": "Programme", "it": "Programma", "ro": "Program", "nl": "Programma"},
    "part_of": {
        "en": "Part of",
        "it": "Fa parte di",
        "ro": "Face parte din",
        "nl": "Onderdeel van",
    },
    "learning_outcomes": {
        "en": "Learning outcomes",
        "it": "Risultati di apprendimento",
        "ro": "Rezultatele învățării",
        "nl": "Leerresultaten",
    },
    "outcomes_sheet": {
        "en": "Learning outcomes sheet",
        "it": "Scheda dei risultati di apprendimento",
        "ro": "Fișa rezultatelor învățării",
        "nl": "Overzicht van de leerresultaten",
    },
    "outcomes_intro": {
        "en": "This sheet tells you what you will be able to do after this activity. Read it "
        "before the training and compare it with your own self-assessment.",
        "it": "Questa scheda indica che cosa sarai in grado di fare al termine dell'attività. "
        "Leggila prima della formazione e confrontala con la tua autovalutazione.",
        "ro": "Această fișă îți arată ce vei putea face după această activitate. Citește-o "
        "înainte de formare și compar-o cu propria autoevaluare.",
        "nl": "Op dit overzicht lees je wat je na deze activiteit kunt. Lees het vóór de "
        "training en vergelijk het met je eigen zelfevaluatie.",
    },
    "after_activity": {
        "en": "After this activity I can …",
        "it": "Al termine di questa attività sono in grado di …",
        "ro": "După această activitate pot …",
        "nl": "Na deze activiteit kan ik …",
    },
    "competences_developed": {
        "en": "Competences you develop",
        "it": "Competenze che svilupperai",
        "ro": "Competențe pe care le vei dezvolta",
        "nl": "Competenties die je ontwikkelt",
    },
    "from_to": {
        "en": "from {entry} to {reached}",
        "it": "da {entry} a {reached}",
        "ro": "de la {entry} la {reached}",
        "nl": "van {entry} naar {reached}",
    },
    "to_be_confirmed": {
        "en": "Still to be confirmed",
        "it": "Ancora da confermare",
        "ro": "Încă de confirmat",
        "nl": "Nog te bevestigen",
    },
    "outcome_sheet_link": {
        "en": "Learning outcomes sheet for participants",
        "it": "Scheda dei risultati di apprendimento per i partecipanti",
        "ro": "Fișa rezultatelor învățării pentru participanți",
        "nl": "Overzicht van de leerresultaten voor deelnemers",
    },
    "print": {
        "en": "Print this sheet",
        "it": "Stampa questa scheda",
        "ro": "Tipărește fișa",
        "nl": "Dit overzicht afdrukken",
    },
    "generated": {
        "en": "Generated from the Reintegra knowledge graph",
        "it": "Generato dal grafo di conoscenza Reintegra",
        "ro": "Generat din graful de cunoștințe Reintegra",
        "nl": "Gegenereerd uit de Reintegra-kennisgraaf",
    },
    "version": {"en": "version", "it": "versione", "ro": "versiunea", "nl": "versie"},
    "choose_language": {
        "en": "Choose your language",
        "it": "Scegli la lingua",
        "ro": "Alege limba",
        "nl": "Kies je taal",
    },
    "language": {"en": "Language", "it": "Lingua", "ro": "Limba", "nl": "Taal"},
    "code": {"en": "Code", "it": "Codice", "ro": "Cod", "nl": "Code"},
    "none": {"en": "none", "it": "nessuno", "ro": "niciunul", "nl": "geen"},
    # ESCO's own terms for skill types and reuse levels (as ESCO translates them).
    "term:skill": {"en": "skill", "it": "abilità", "ro": "aptitudine", "nl": "vaardigheid"},
    "term:knowledge": {"en": "knowledge", "it": "conoscenza", "ro": "cunoștințe", "nl": "kennis"},
    "term:transversal": {
        "en": "transversal",
        "it": "trasversale",
        "ro": "transversal",
        "nl": "transversaal",
    },
    "term:cross-sector": {
        "en": "cross-sector",
        "it": "intersettoriale",
        "ro": "intersectorial",
        "nl": "sectoroverschrijdend",
    },
    "term:sector-specific": {
        "en": "sector-specific",
        "it": "specifica per settore",
        "ro": "specific sectorului",
        "nl": "sectorspecifiek",
    },
    "term:occupation-specific": {
        "en": "occupation-specific",
        "it": "specifica per occupazione",
        "ro": "specific ocupației",
        "nl": "beroepsspecifiek",
    },
    "term:exactMatch": {
        "en": "exact match",
        "it": "corrispondenza esatta",
        "ro": "corespondență exactă",
        "nl": "exacte overeenkomst",
    },
    "term:closeMatch": {
        "en": "close match",
        "it": "corrispondenza stretta",
        "ro": "corespondență apropiată",
        "nl": "nauwe overeenkomst",
    },
    "term:broadMatch": {
        "en": "broader match",
        "it": "corrispondenza più ampia",
        "ro": "corespondență mai largă",
        "nl": "bredere overeenkomst",
    },
    "term:narrowMatch": {
        "en": "narrower match",
        "it": "corrispondenza più specifica",
        "ro": "corespondență mai restrânsă",
        "nl": "smallere overeenkomst",
    },
    "term:relatedMatch": {"en": "related", "it": "correlata", "ro": "înrudită", "nl": "verwant"},
}


def word(key: str, lang: str) -> str:
    """A page word in ``lang``, else in English."""
    texts = WORDS[key]
    return texts.get(lang) or texts[DEFAULT_LANGUAGE]


def has_term(local_name: str) -> bool:
    return f"term:{local_name}" in WORDS
