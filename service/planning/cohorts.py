"""The gaps of a group of trainers, and what a hosted training week should hold for them.

Coordinators plan a week for a cohort: per competence they see how many members have a gap,
its mean and distribution; then which sessions would close most of the group's weighted gap
within the week's hours. That choice is a budgeted maximum-coverage problem: items are the
framework's training sessions (of any week) and its standalone in-person or blended activities;
an item's value is the weighted gap it closes summed over the members who can follow it (their
language, its entry level in that competence, at most its capacity of members). The greedy rule
takes, while hours remain, the item with the most newly closed gap per hour, members' levels
rising with each pick; the answer is the better of that and the single most valuable item
(the classic guarantee for budgeted coverage), with each pick's marginal value shown.
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from service.catalogue import Activity, Catalogue, labelled
from service.errors import BadRequest, ReintegraError
from service.i18n import check_language
from service.planning.gaps import ESSENTIAL, Gap, profile_gaps
from service.planning.profile import Profile, parse_profile
from service.planning.rules import EPS, in_person, part_fits


def cohort_gaps(
    profiles: list[dict], catalogue: Catalogue, *, week_hours: float = 30, lang: str = "en"
) -> dict[str, Any]:
    """Per-competence statistics of a cohort's gaps and the best week of ``week_hours``."""
    check_language(lang)
    if isinstance(week_hours, bool) or not isinstance(week_hours, int | float) or week_hours <= 0:
        raise BadRequest("week_hours must be a positive number of hours", pointer="/week_hours")
    members: list[tuple[Profile, list[Gap]]] = []
    for i, profile in enumerate(profiles):
        try:
            parsed = parse_profile(profile, catalogue)
        except ReintegraError as exc:
            raise type(exc)(
                f"member {i}: {exc.message}", pointer=f"/profiles/{i}{exc.pointer or ''}"
            ) from None
        members.append((parsed, profile_gaps(parsed, catalogue)))
    return {
        "lang": lang,
        "members": len(members),
        "competences": _competence_stats(members, catalogue, lang),
        "week": _week(members, catalogue, float(week_hours), lang),
    }


def _competence_stats(members, catalogue: Catalogue, lang: str) -> list[dict[str, Any]]:
    by_competence: dict[str, list[Gap]] = {}
    for _, gaps in members:
        for g in gaps:
            by_competence.setdefault(g.competence, []).append(g)
    out = []
    for competence_id, gaps in by_competence.items():
        competence = catalogue.competences[competence_id]
        steps = [g.gap for g in gaps]
        levels = Counter(catalogue.notation(g.current) or "none" for g in gaps)
        out.append(
            {
                "competence": competence_id,
                **labelled(competence.labels, lang),
                "area": competence.area,
                "strand": competence.strand,
                "members_requiring": len(gaps),
                "members_with_gap": sum(1 for s in steps if s > 0),
                "essential_for": sum(1 for g in gaps if g.relation == ESSENTIAL),
                "mean_gap": statistics.fmean(steps),
                "median_gap": statistics.median(steps),
                "stdev_gap": statistics.pstdev(steps),
                "mean_weighted_gap": statistics.fmean(g.weighted for g in gaps),
                "total_weighted_gap": sum(g.weighted for g in gaps),
                "gap_distribution": {str(k): v for k, v in sorted(Counter(steps).items())},
                "level_distribution": {
                    **({"none": levels["none"]} if levels["none"] else {}),
                    **{
                        v.notation: levels[v.notation]
                        for v in catalogue.levels
                        if levels[v.notation]
                    },
                },
            }
        )
    out.sort(key=lambda e: (-e["total_weighted_gap"], e["competence"]))
    return out


def week_items(catalogue: Catalogue) -> list[Activity]:
    """Sessions of any training week, and standalone in-person or blended activities."""
    return [
        a
        for a in sorted(catalogue.activities.values(), key=lambda x: x.id)
        if (a.kind == "session" or (a.kind == "activity" and in_person(a)))
        and a.hours
        and a.competences
        and a.reached
    ]


def _gain(item: Activity, members, levels: list[dict[str, int]], first_rank: int):
    """What ``item`` adds for the group at the members' current ``levels``: value, per-member
    raises, capped at the item's capacity (the members who gain most)."""
    per_member = []
    entry = 0 if item.entry <= first_rank else item.entry  # the first level is open to all
    for m, ((profile, gaps), held) in enumerate(zip(members, levels, strict=True)):
        if not part_fits(item, profile):
            continue
        value, raises = 0.0, []
        for g in gaps:
            level = held[g.competence]
            if g.competence in item.competences and entry <= level < min(item.reached, g.required):
                closed = g.weight * (min(item.reached, g.required) - level)
                value += closed
                raises.append((g, closed))
        if value > 0:
            per_member.append((value, m, raises))
    per_member.sort(key=lambda x: (-x[0], x[1]))
    if item.capacity is not None:
        per_member = per_member[: max(item.capacity, 0)]
    return sum(v for v, _, _ in per_member), per_member


def _week(members, catalogue: Catalogue, hours: float, lang: str) -> dict[str, Any]:
    items = week_items(catalogue)
    start = [{g.competence: g.current for g in gaps} for _, gaps in members]
    total = sum(g.weighted for _, gaps in members for g in gaps)
    first_rank = catalogue.levels[0].rank if catalogue.levels else 0

    def run(order_by_ratio: bool, only: Activity | None = None):
        levels = [dict(x) for x in start]
        picks, used = [], 0.0
        pool = [only] if only else items
        while True:
            best = None
            for item in pool:
                if any(p[0] is item for p in picks) or used + item.hours > hours + EPS:
                    continue
                value, per_member = _gain(item, members, levels, first_rank)
                if value <= 0:
                    continue
                score = value / item.hours if order_by_ratio else value
                if best is None or score > best[0] + EPS:
                    best = (score, item, value, per_member)
            if best is None:
                return picks, used
            _, item, value, per_member = best
            for _, m, raises in per_member:
                for g, _closed in raises:
                    levels[m][g.competence] = item.reached
            picks.append((item, value, per_member))
            used += item.hours

    greedy, greedy_hours = run(True)
    single = max(
        (run(False, item) for item in items),
        default=([], 0.0),
        key=lambda r: sum(v for _, v, _ in r[0]),
    )
    chosen, used = greedy, greedy_hours
    method = "greedy by newly closed weighted gap per hour"
    if sum(v for _, v, _ in single[0]) > sum(v for _, v, _ in greedy) + EPS:
        chosen, used = single
        method = "the single most valuable item (it beats the greedy fill)"
    closed = sum(v for _, v, _ in chosen)
    return {
        "hours": hours,
        "hours_used": used,
        "method": method,
        "closed": closed,
        "total": total,
        "ratio": closed / total if total else 1.0,
        "items": [
            _item(item, value, per_member, catalogue, lang) for item, value, per_member in chosen
        ],
    }


def _item(item: Activity, value: float, per_member, catalogue: Catalogue, lang: str) -> dict:
    closes: dict[str, list[float]] = {}
    for _, _m, raises in per_member:
        for g, closed in raises:
            closes.setdefault(g.competence, []).append(closed)
    return {
        "activity": item.id,
        **labelled(item.labels, lang),
        "kind": item.kind,
        "week": item.super_event,
        "format": item.format,
        "hours": item.hours,
        "capacity": item.capacity,
        "entry_level": catalogue.notation(item.entry),
        "level_reached": catalogue.notation(item.reached),
        "weighted_gap_closed": value,
        "per_hour": value / item.hours,
        "members": len(per_member),
        "competences": [
            {
                "competence": c,
                **labelled(catalogue.competences[c].labels, lang),
                "members": len(ws),
                "weighted_gap_closed": sum(ws),
            }
            for c, ws in sorted(closes.items())
        ],
    }
