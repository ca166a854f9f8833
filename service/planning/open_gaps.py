"""The gaps a plan leaves open, each with the activities that address it and why none can
close it; a gap is never dropped silently.

Reason codes: ``no_activity`` (nothing in the framework brings it that far); ``not_available``
(every such activity breaks a hard rule for this trainer; the rule codes of
``plan_rules.STATIC_REASONS`` are listed per activity); otherwise the nearest miss among
``limit``, ``hours_budget``, ``overlap``, ``prerequisite``, ``entry_level``, ``language``,
``in_plan`` (in the plan, but before its entry level is reached) and ``not_chosen`` (only when
the search stopped at its node budget).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.catalogue import Activity
from service.planning.rules import (
    EPS,
    STATIC_REASONS,
    Unit,
    addressing,
    in_person,
    overlap,
    part_fits,
)

if TYPE_CHECKING:
    from service.planning.search import Problem, Step

PRIORITY = (
    "limit",
    "hours_budget",
    "not_chosen",
    "overlap",
    "prerequisite",
    "entry_level",
    "language",
    "in_plan",
)


def open_gaps(problem: Problem, plan: list[Step]) -> list[dict[str, Any]]:
    """Per open gap: its index, the level after the plan, the main reason, and per activity
    that addresses it the reason codes that keep it from closing the gap."""
    state = plan[-1].state if plan else problem.init
    hours = sum(s.cand.hours for s in plan)
    cands = {c.id: c for c in problem.candidates}
    per_unit: dict[str, list[str]] = {}
    out = []
    by_competence = addressing(problem.catalogue)
    for ci, competence in enumerate(problem.comps):
        level = state[ci]
        if level >= problem.req[ci]:
            continue
        blocked = []
        for unit, addressed in by_competence.get(competence, ()):
            parts = [a for a in addressed if a.reached > level]
            if not parts:
                continue
            uid = unit.activity.id
            reasons = problem.reasons[uid]
            if not reasons:
                if uid not in per_unit:
                    per_unit[uid] = _why_not(problem, unit, plan, hours)
                reasons = per_unit[uid] + _why_not_here(problem, unit, parts, level)
                if not reasons:  # only when the search ran out of its node budget
                    fits = uid in cands and problem.apply(cands[uid], plan, hours) is not None
                    reasons = ["not_chosen"] if fits else ["entry_level"]
            blocked.append((uid, list(reasons)))
        out.append({"ci": ci, "level": level, "reason": primary(blocked), "activities": blocked})
    return out


def _why_not(problem: Problem, unit: Unit, plan: list[Step], hours: float) -> list[str]:
    """What keeps an available unit out of this plan, whatever the competence."""
    act = unit.activity
    if any(s.unit is unit for s in plan):
        return ["in_plan"]
    reasons = []
    if len(plan) >= problem.limit:
        reasons.append("limit")
    budget = problem.profile.max_hours
    if budget is not None and hours + (act.hours or 0) > budget + EPS:
        reasons.append("hours_budget")
    if in_person(act) and any(
        in_person(s.unit.activity) and overlap(act, s.unit.activity) for s in plan
    ):
        reasons.append("overlap")
    if problem.prerequisites_met(act, plan) is None:
        reasons.append("prerequisite")
    return reasons


def _why_not_here(problem: Problem, unit: Unit, parts: list[Activity], level: int) -> list[str]:
    """What keeps the unit's parts for one competence from raising it past ``level``."""
    act = unit.activity
    if all(a is not act and not part_fits(a, problem.profile) for a in parts):
        return ["language"]
    if all(problem.entry(a) > level for a in parts):
        return ["entry_level"]
    return []


def primary(blocked: list[tuple[str, list[str]]]) -> str:
    """The one reason to show first: no activity, none available, else the nearest miss."""
    if not blocked:
        return "no_activity"
    dynamic = [reasons for _, reasons in blocked if not set(reasons) & STATIC_REASONS]
    if not dynamic:
        return "not_available"
    nearest = min(dynamic, key=lambda rs: (len(rs), min(PRIORITY.index(r) for r in rs)))
    return min(nearest, key=PRIORITY.index)
