"""Competence gaps of a trainer against the roles they work towards.

The gap is counted in steps of the framework's scale, weighted by the ``rg:weight`` of the
requirement's relation type (essential counts more than optional). Self and assessor levels are
never averaged: an assessor's level, when there is one, is used, and the answer says which.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from service.catalogue import Catalogue, labelled
from service.i18n import check_language
from service.planning.profile import Profile, parse_profile

ESSENTIAL = "Essential"  # the rg:Essential relation type of the vocabulary


@dataclass(slots=True)
class Gap:
    """One required competence of a profile, before any training."""

    competence: str
    current: int  # rank; 0 when never assessed
    source: str | None
    required: int
    relation: str
    weight: float
    roles: tuple[str, ...]

    @property
    def gap(self) -> int:
        return max(0, self.required - self.current)

    @property
    def weighted(self) -> float:
        return self.gap * self.weight


def profile_gaps(profile: Profile, catalogue: Catalogue) -> list[Gap]:
    """Requirements of all the profile's roles merged: highest level, heaviest relation type."""
    merged: dict[str, list] = {}
    for role_id in profile.roles:
        for req in catalogue.roles[role_id].requirements:
            held = merged.get(req.competence)
            if held is None:
                merged[req.competence] = [req.level, req.relation, req.weight, [role_id]]
                continue
            held[0] = max(held[0], req.level)
            if req.weight > held[2]:
                held[1], held[2] = req.relation, req.weight
            held[3].append(role_id)
    gaps = []
    for competence in sorted(merged):
        level, relation, weight, roles = merged[competence]
        current, source = profile.levels.get(competence, (0, None))
        gaps.append(Gap(competence, current, source, level, relation, weight, tuple(roles)))
    return gaps


def compute_gaps(profile: dict, catalogue: Catalogue, *, lang: str = "en") -> dict[str, Any]:
    """The JSON answer for one profile: per competence, per area and strand, and in total."""
    check_language(lang)
    parsed = parse_profile(profile, catalogue)
    return gaps_answer(parsed, profile_gaps(parsed, catalogue), catalogue, lang)


def gaps_answer(profile: Profile, gaps: list[Gap], catalogue: Catalogue, lang: str) -> dict:
    notation = catalogue.notation
    rows = []
    for g in gaps:
        competence = catalogue.competences[g.competence]
        status = "gap" if g.gap else ("exceeds" if g.current > g.required else "met")
        rows.append(
            {
                "competence": g.competence,
                **labelled(competence.labels, lang),
                "notation": competence.notation,
                "area": competence.area,
                "strand": competence.strand,
                "current_level": notation(g.current),
                "source": g.source,
                "required_level": notation(g.required),
                "gap": g.gap,
                "relation": g.relation,
                "essential": g.relation == ESSENTIAL,
                "weight": g.weight,
                "weighted_gap": g.weighted,
                "status": status,
                "roles": list(g.roles),
            }
        )
    rows.sort(key=lambda r: (-r["weighted_gap"], -r["gap"], r["notation"] or "", r["competence"]))
    return {
        "lang": lang,
        "roles": [{"id": r, **labelled(catalogue.roles[r].labels, lang)} for r in profile.roles],
        "competences": rows,
        "areas": _sums(rows, "area", catalogue.areas, lang),
        "strands": _sums(rows, "strand", catalogue.strands, lang),
        "total": _total(rows),
        "exceeds": [
            {
                "competence": r["competence"],
                "label": r["label"],
                "current_level": r["current_level"],
                "required_level": r["required_level"],
                "by": catalogue.by_notation[r["current_level"]].rank
                - catalogue.by_notation[r["required_level"]].rank,
            }
            for r in rows
            if r["status"] == "exceeds"
        ],
    }


def _total(rows: list[dict]) -> dict[str, Any]:
    return {
        "competences": len(rows),
        "with_gap": sum(1 for r in rows if r["gap"]),
        "essential_with_gap": sum(1 for r in rows if r["gap"] and r["essential"]),
        "gap": sum(r["gap"] for r in rows),
        "weighted_gap": sum(r["weighted_gap"] for r in rows),
    }


def _sums(rows: list[dict], key: str, concepts, lang: str) -> list[dict[str, Any]]:
    groups: dict[str | None, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    out = []
    for concept_id, members in groups.items():
        concept = concepts.get(concept_id) if concept_id else None
        entry: dict[str, Any] = {key: concept_id}
        entry.update(labelled(concept.labels, lang) if concept else {"label": None})
        if key == "area":
            entry["strand"] = concept.strand if concept else None
        entry.update(_total(members))
        out.append(entry)
    out.sort(key=lambda e: (-e["weighted_gap"], e[key] or ""))
    return out
