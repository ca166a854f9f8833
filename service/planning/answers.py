"""Plans as JSON, with one sentence per activity built only from facts the answer also holds.

The sentence frames are Python templates per language; every word that names something
(activity, competence, level) is a label or notation from the graph, copied into the same item
as structured facts, so :func:`sentence` can be recomputed from an item alone by any checker.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from service.catalogue import Catalogue, labelled
from service.i18n import check_language
from service.planning.open_gaps import open_gaps
from service.planning.search import Problem, Step, plan

FRAMES: dict[str, dict[str, str]] = {
    "en": {
        "brings": "“{activity}” takes {closes}",
        "close": "{competence} from {from} to {to}",
        "close_new": "{competence} up to {to}",
        "via": " (in “{via}”)",
        "entry_current": "your current level meets its entry level {entry}",
        "entry_open": "it is open from the first level of the scale, {entry}",
        "entry_plan": "“{by}”, earlier in this plan, brings you to its entry level {entry}",
        "entry_same": "“{by}”, in the same week, brings you to its entry level {entry}",
        "pre_plan": "its prerequisite “{pre}” comes earlier in this plan",
        "pre_current": "your current level already covers its prerequisite “{pre}”",
        "for": " in {competences}",
        "and": " and ",
    },
    "it": {
        "brings": "«{activity}» porta {closes}",
        "close": "{competence} da {from} a {to}",
        "close_new": "{competence} fino a {to}",
        "via": " (in «{via}»)",
        "entry_current": "il tuo livello attuale soddisfa il suo livello d'ingresso {entry}",
        "entry_open": "è aperta a tutti dal primo livello della scala, {entry}",
        "entry_plan": "«{by}», prima in questo piano, ti porta al suo livello d'ingresso {entry}",
        "entry_same": "«{by}», nella stessa settimana, ti porta al suo livello d'ingresso {entry}",
        "pre_plan": "il suo prerequisito «{pre}» viene prima in questo piano",
        "pre_current": "il tuo livello attuale copre già il suo prerequisito «{pre}»",
        "for": " per {competences}",
        "and": " e ",
    },
    "ro": {
        "brings": "„{activity}” îți dezvoltă {closes}",
        "close": "{competence} de la {from} la {to}",
        "close_new": "{competence} până la {to}",
        "via": " (în „{via}”)",
        "entry_current": "nivelul tău actual îndeplinește nivelul său de intrare {entry}",
        "entry_open": "este deschisă tuturor de la primul nivel al scalei, {entry}",
        "entry_plan": (
            "„{by}”, mai devreme în acest plan, te aduce la nivelul său de intrare {entry}"
        ),
        "entry_same": "„{by}”, în aceeași săptămână, te aduce la nivelul său de intrare {entry}",
        "pre_plan": "cerința sa prealabilă „{pre}” vine mai devreme în acest plan",
        "pre_current": "nivelul tău actual acoperă deja cerința sa prealabilă „{pre}”",
        "for": " la {competences}",
        "and": " și ",
    },
    "nl": {
        "brings": "‘{activity}’ brengt {closes}",
        "close": "{competence} van {from} naar {to}",
        "close_new": "{competence} tot {to}",
        "via": " (in ‘{via}’)",
        "entry_current": "je huidige niveau voldoet aan het instapniveau {entry}",
        "entry_open": "het staat open vanaf het eerste niveau van de schaal, {entry}",
        "entry_plan": "‘{by}’, eerder in dit plan, brengt je op het instapniveau {entry}",
        "entry_same": "‘{by}’, in dezelfde week, brengt je op het instapniveau {entry}",
        "pre_plan": "de voorwaarde ‘{pre}’ komt eerder in dit plan",
        "pre_current": "je huidige niveau dekt de voorwaarde ‘{pre}’ al",
        "for": " voor {competences}",
        "and": " en ",
    },
}

UNCLOSED: dict[str, dict[str, str]] = {
    "no_activity": {
        "en": "No activity in the framework takes {competence} up to {required}.",
        "it": "Nessuna attività del quadro porta {competence} fino a {required}.",
        "ro": "Nicio activitate din cadru nu duce {competence} până la {required}.",
        "nl": "Geen activiteit in het kader brengt {competence} tot {required}.",
    },
    "not_available": {
        "en": "The activities for {competence} do not fit your languages, dates, place or "
        "preferences.",
        "it": "Le attività per {competence} non corrispondono alle tue lingue, date, sede o "
        "preferenze.",
        "ro": "Activitățile pentru {competence} nu se potrivesc limbilor, datelor, locului sau "
        "preferințelor tale.",
        "nl": "De activiteiten voor {competence} passen niet bij je talen, data, plaats of "
        "voorkeuren.",
    },
    "limit": {
        "en": "The plan already holds as many activities as allowed; a higher limit would close "
        "more of {competence}.",
        "it": "Il piano contiene già il numero massimo di attività; un limite più alto "
        "ridurrebbe di più il divario in {competence}.",
        "ro": "Planul are deja numărul maxim de activități; o limită mai mare ar acoperi mai "
        "mult din {competence}.",
        "nl": "Het plan bevat al het maximale aantal activiteiten; met een hogere limiet wordt "
        "meer van {competence} gedekt.",
    },
    "hours_budget": {
        "en": "Closing more of {competence} would go over your hours budget.",
        "it": "Ridurre ancora il divario in {competence} supererebbe il tuo budget di ore.",
        "ro": "Acoperirea a mai mult din {competence} ar depăși bugetul tău de ore.",
        "nl": "Meer van {competence} dekken zou je urenbudget overschrijden.",
    },
    "not_chosen": {
        "en": "An activity could still close part of {competence}; ask for a new plan.",
        "it": "Un'attività potrebbe ancora ridurre il divario in {competence}; chiedi un nuovo "
        "piano.",
        "ro": "O activitate ar mai putea acoperi o parte din {competence}; cere un plan nou.",
        "nl": "Een activiteit kan nog een deel van {competence} dekken; vraag een nieuw plan.",
    },
    "overlap": {
        "en": "The activities for {competence} clash in time with this plan's in-person "
        "activities.",
        "it": "Le attività per {competence} si sovrappongono alle attività in presenza di "
        "questo piano.",
        "ro": "Activitățile pentru {competence} se suprapun cu activitățile față în față din "
        "acest plan.",
        "nl": "De activiteiten voor {competence} vallen samen met de fysieke activiteiten van "
        "dit plan.",
    },
    "prerequisite": {
        "en": "The activities for {competence} need a prerequisite this plan cannot include.",
        "it": "Le attività per {competence} richiedono un prerequisito che questo piano non "
        "può includere.",
        "ro": "Activitățile pentru {competence} cer o cerință prealabilă pe care acest plan nu "
        "o poate include.",
        "nl": "De activiteiten voor {competence} vragen een voorwaarde die dit plan niet kan "
        "bevatten.",
    },
    "entry_level": {
        "en": "The activities for {competence} need a higher entry level than you hold or can "
        "reach in this plan.",
        "it": "Le attività per {competence} richiedono un livello d'ingresso più alto di quello "
        "che hai o puoi raggiungere in questo piano.",
        "ro": "Activitățile pentru {competence} cer un nivel de intrare mai înalt decât cel pe "
        "care îl ai sau îl poți atinge în acest plan.",
        "nl": "De activiteiten voor {competence} vragen een hoger instapniveau dan je hebt of "
        "in dit plan kunt bereiken.",
    },
    "language": {
        "en": "The sessions for {competence} are not given in a language you follow.",
        "it": "Le sessioni per {competence} non si tengono in una lingua che segui.",
        "ro": "Sesiunile pentru {competence} nu se țin într-o limbă pe care o urmezi.",
        "nl": "De sessies voor {competence} worden niet gegeven in een taal die je volgt.",
    },
    "in_plan": {
        "en": "The activity of this plan for {competence} comes before you reach its entry level.",
        "it": "L'attività di questo piano per {competence} arriva prima che tu raggiunga il suo "
        "livello d'ingresso.",
        "ro": "Activitatea din acest plan pentru {competence} vine înainte să atingi nivelul "
        "ei de intrare.",
        "nl": "De activiteit van dit plan voor {competence} komt voordat je het instapniveau "
        "bereikt.",
    },
}


def recommend(
    profile: dict,
    catalogue: Catalogue,
    *,
    lang: str = "en",
    limit: int = 5,
    filters: dict | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """A plan for one profile, explained; JSON-ready. Raises BadRequest/ValidationFailed."""
    check_language(lang)
    problem, steps = plan(profile, catalogue, limit=limit, filters=filters, today=today)
    return plan_answer(problem, steps, lang)


def join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + FRAMES[lang]["and"] + items[-1]


def sentence(item: dict[str, Any], lang: str) -> str:
    """The justification of one plan item, from that item's structured facts only."""
    frame = FRAMES[lang]
    sessions = {s["activity"] for s in item.get("sessions", [])}
    closes = []
    for c in item["closes"]:
        key = "close" if c["from"] else "close_new"
        text = frame[key].format(competence=c["label"], **{"from": c["from"], "to": c["to"]})
        if c["via"] != item["activity"]:
            text += frame["via"].format(via=c["via_label"])
        closes.append(text)
    clauses = [frame["brings"].format(activity=item["label"], closes=join(closes, lang))]
    entries: dict[str, list[str]] = {}  # one clause per way an entry level is met
    for c in item["closes"]:
        if c["entry_level"] is None:
            continue
        if c["entry_met_by"] in ("current", "scale_start"):
            key = "entry_current" if c["entry_met_by"] == "current" else "entry_open"
            clause = frame[key].format(entry=c["entry_level"])
        else:
            same = c["entry_met_by"] in sessions | {item["activity"]}
            key = "entry_same" if same else "entry_plan"
            clause = frame[key].format(by=c["entry_met_by_label"], entry=c["entry_level"])
        labels = entries.setdefault(clause, [])
        if c["label"] not in labels:
            labels.append(c["label"])
    for clause, labels in entries.items():
        if len(entries) > 1:  # say which competence each way is about
            clause += frame["for"].format(competences=join(labels, lang))
        clauses.append(clause)
    for pre in item["prerequisites"]:
        key = "pre_plan" if pre["met_by"] == "plan" else "pre_current"
        clauses.append(frame[key].format(pre=pre["label"]))
    return "; ".join(clauses) + "."


def unclosed_message(entry: dict[str, Any], lang: str) -> str:
    return UNCLOSED[entry["reason"]][lang].format(
        competence=entry["label"], required=entry["required_level"]
    )


def plan_answer(problem: Problem, plan: list[Step], lang: str) -> dict[str, Any]:
    """The JSON answer for a plan: items with facts and sentences, coverage, open gaps."""
    check_language(lang)
    cat = problem.catalogue
    notation = {v.rank: v.notation for v in cat.levels}.get
    acts = cat.activities

    def label_of(activity_id: str) -> str | None:
        act = acts.get(activity_id)
        return labelled(act.labels, lang)["label"] if act else None

    position = {s.unit.activity.id: i + 1 for i, s in enumerate(plan)}
    for s in plan:  # a session can meet an entry level; it is found at its week's position
        for part in s.unit.parts:
            position.setdefault(part.id, position[s.unit.activity.id])
    items = []
    for i, step in enumerate(plan):
        act = step.unit.activity
        closes, steps_closed, essential_steps = [], 0, 0
        for ci, start, end, via, entry, met_by in step.closes:
            competence = cat.competences[problem.comps[ci]]
            gap = problem.gaps_by_competence[competence.id]
            closed = min(end, gap.required) - start
            steps_closed += closed
            essential_steps += closed if gap.relation == problem.essential else 0
            fact = {
                "competence": competence.id,
                **labelled(competence.labels, lang),
                "from": notation(start),
                "to": notation(end),
                "required": notation(gap.required),
                "via": via,
                "entry_level": notation(entry),
                "entry_met_by": met_by,
                "weighted_gap_closed": closed * gap.weight,
            }
            if via != act.id:
                fact["via_label"] = label_of(via)
            if met_by not in ("current", "scale_start"):
                fact["entry_met_by_label"] = label_of(met_by)
                fact["entry_met_by_position"] = position.get(met_by)
            closes.append(fact)
        hours = act.hours or 0.0
        item = {
            "position": i + 1,
            "activity": act.id,
            **labelled(act.labels, lang),
            "kind": act.kind,
            "format": act.format,
            "organizer": act.organizer,
            "country": act.country,
            "city": act.city,
            "languages": sorted(act.languages),
            "self_paced": act.self_paced,
            "start": act.start.isoformat() if act.start else None,
            "end": act.end.isoformat() if act.end else None,
            "hours": act.hours,
            "capacity": act.capacity,
            "sessions": [
                {
                    "activity": s.id,
                    **labelled(s.labels, lang),
                    "start": s.start.isoformat() if s.start else None,
                    "end": s.end.isoformat() if s.end else None,
                    "hours": s.hours,
                }
                for s in step.unit.parts[1:]
            ],
            "closes": closes,
            "prerequisites": [
                {
                    "activity": pre,
                    "label": label_of(pre),
                    "met_by": how,
                    "position": position.get(pre) if how == "plan" else None,
                }
                for pre, how in step.prerequisites
            ],
            "score": {
                "weighted_gap_closed": step.gain,
                "steps_closed": steps_closed,
                "essential_steps_closed": essential_steps,
                "hours": act.hours,
                "weighted_gap_per_hour": step.gain / hours if hours else None,
                "share_of_total": step.gain / problem.total if problem.total else 0.0,
            },
        }
        item["justification"] = sentence(item, lang)
        items.append(item)

    closed = sum(s.gain for s in plan)
    unclosed = []
    for entry in open_gaps(problem, plan):
        gap = problem.gaps_by_competence[problem.comps[entry["ci"]]]
        competence = cat.competences[gap.competence]
        out = {
            "competence": gap.competence,
            **labelled(competence.labels, lang),
            "current_level": notation(gap.current),
            "level_after_plan": notation(entry["level"]),
            "required_level": notation(gap.required),
            "remaining_gap": gap.required - entry["level"],
            "weighted_remaining_gap": (gap.required - entry["level"]) * gap.weight,
            "reason": entry["reason"],
            "activities": [{"activity": a, "reasons": r} for a, r in entry["activities"]],
        }
        out["message"] = unclosed_message(out, lang)
        unclosed.append(out)
    f = problem.filters
    return {
        "lang": lang,
        "roles": [{"id": r, **labelled(cat.roles[r].labels, lang)} for r in problem.profile.roles],
        "limit": problem.limit,
        "today": problem.today.isoformat(),
        "filters": {
            "format": sorted(f.formats) if f.formats else None,
            "country": sorted(f.countries) if f.countries else None,
            "start": f.start.isoformat() if f.start else None,
            "end": f.end.isoformat() if f.end else None,
        },
        "plan": items,
        "hours": sum(s.unit.activity.hours or 0.0 for s in plan),
        "coverage": {
            "closed": closed,
            "total": problem.total,
            "ratio": closed / problem.total if problem.total else 1.0,
        },
        "unclosed": unclosed,
        "search": {
            "method": "greedy, then branch and bound",
            "exact": problem.exact,
            "coverage_proven": problem.coverage_proven,
            "nodes": problem.nodes,
            "greedy_closed": problem.greedy_key[0],
            "greedy_activities": -problem.greedy_key[1],
        },
    }


def plan_text(answer: dict[str, Any]) -> str:
    """A plan for people reading a terminal: one block per activity, then the open gaps."""
    cov = answer["coverage"]
    lines = [
        f"Plan: {len(answer['plan'])} activities, {answer['hours']:g} h, weighted gap closed "
        f"{cov['closed']:g} of {cov['total']:g} ({cov['ratio']:.0%})"
    ]
    for item in answer["plan"]:
        when = "self-paced" if item["self_paced"] else f"{item['start']} – {item['end']}"
        lines.append(
            f"{item['position']}. {item['label']} [{item['format']}, {when}, {item['hours']:g} h]"
        )
        lines.append(f"   {item['justification']}")
    if answer["unclosed"]:
        lines.append("Gaps left open:")
        for gap in answer["unclosed"]:
            lines.append(
                f"- {gap['label']}: {gap['level_after_plan'] or '–'} → "
                f"{gap['required_level']}. {gap['message']}"
            )
    return "\n".join(lines)


def gaps_text(answer: dict[str, Any]) -> str:
    """Gaps as a table for a terminal, biggest weighted gap first."""
    rows = [("competence", "current", "required", "gap", "weighted", "source")]
    for c in answer["competences"]:
        rows.append(
            (
                c["label"] or c["competence"],
                c["current_level"] or "–",
                c["required_level"],
                str(c["gap"]),
                f"{c['weighted_gap']:g}",
                c["source"] or "–",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    total = answer["total"]
    lines.append(
        f"total weighted gap {total['weighted_gap']:g} over {total['with_gap']} of "
        f"{total['competences']} competences"
    )
    return "\n".join(lines)
