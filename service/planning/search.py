"""Training plans: the units that close most of a trainer's weighted gap, in a valid order.

What a unit is and what rules one out is in ``plan_rules.py``. Within a plan:

* **Order**: a unit comes after its prerequisites (``rg:prerequisite``, completed before it
  starts), unless the trainer already holds the prerequisite's level reached in every
  competence it addresses. A unit raises a competence only where the trainer already holds the
  entry level in that competence, from an assessment or from an earlier unit that ends before
  it starts. An entry level at the first level of the scale (A1) is open to everyone, also to
  a trainer who never assessed that competence (fact ``scale_start``). A week's parts apply in
  order of entry level, level reached, the week before its sessions, then id; so a session can
  lift a trainer to the week's entry level.
* At most ``limit`` units, hours within ``max_hours``, no two dated in-person units overlapping.
* Every unit closes part of a gap when it comes; none is recommended for nothing.

Quality: maximise the weighted gap closed, then use fewer units, then fewer hours, then the
smallest ids. Greedy weighted coverage gives a first plan; an exact branch-and-bound search
over sequences improves on it within a node budget (``NODE_BUDGET``), so the answer is never
worse than greedy, and optimal whenever the search finishes (``search.exact`` in the answer).
Bounds: the gap left that candidates can reach, the best gains of the units left (each from
its lowest entry level), the hours left (fractional knapsack); sequences that differ only in
the order of two units with nothing in common are explored once, and so are sequences that
reach the same units and levels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from service.catalogue import Activity, Catalogue
from service.errors import BadRequest
from service.planning.gaps import ESSENTIAL, Gap, profile_gaps
from service.planning.profile import Profile, parse_profile
from service.planning.rules import (
    EPS,
    Filters,
    Unit,
    before,
    dated,
    in_person,
    overlap,
    parse_filters,
    part_fits,
    static_reasons,
    units,
)

MAX_LIMIT = 20
NODE_BUDGET = 4000  # nodes of the whole search
TIE_BUDGET = 48  # nodes spent looking for fewer units or hours at the same gap closed


def plan(
    profile: dict,
    catalogue: Catalogue,
    *,
    limit: int = 5,
    filters: dict | None = None,
    today: date | None = None,
) -> tuple[Problem, list[Step]]:
    """The search for one profile: the problem as parsed, and the steps of the plan found.

    Raises BadRequest/ValidationFailed for a profile, limit or filter the framework cannot read.
    """
    parsed = parse_profile(profile, catalogue)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(f"limit must be a whole number from 1 to {MAX_LIMIT}", pointer="/limit")
    problem = Problem(
        parsed, catalogue, parse_filters(filters, catalogue), limit, today or date.today()
    )
    return problem, problem.solve()


@dataclass(slots=True, eq=False)
class Cand:
    """A unit that passed the hard constraints, prepared for this trainer's open gaps."""

    unit: Unit
    id: str
    hours: float
    away: bool
    period: tuple[date, date] | None
    parts: tuple[tuple[Activity, tuple[int, ...], bool, int], ...]  # part, open gaps it can
    #                                  raise, whether it is the unit itself, entry rank in force
    reach: tuple[tuple[int, int, int], ...]  # per open gap: (gap, best level up to required,
    #                                          lowest entry level it starts raising from)
    flat: tuple[tuple[int, int, int], ...]  # (open gap, entry, reached) in the order parts apply
    gaps: frozenset[int]  # the open gaps any part addresses
    linked: frozenset[str]  # its parts' ids and their prerequisites' ids


@dataclass(slots=True)
class Step:
    """One unit placed in a plan, with every fact its justification is built from."""

    cand: Cand
    gain: float
    closes: list[tuple[int, int, int, str, int, str]]  # ci, from, to, via, entry, met by
    prerequisites: list[tuple[str, str]]  # prerequisite id, "plan" or "current"
    state: tuple[int, ...]
    prov: tuple[tuple[tuple[int, str, Cand], ...], ...]  # per gap: (level, via, unit) raises

    @property
    def unit(self) -> Unit:
        return self.cand.unit


class _Budget(Exception):
    """The search used its node budget; the best plan so far stands."""


class Problem:
    """One trainer's planning problem over one catalogue."""

    def __init__(self, p: Profile, catalogue: Catalogue, f: Filters, limit: int, today: date):
        self.profile, self.catalogue, self.filters = p, catalogue, f
        self.limit, self.today = limit, today
        self.gaps: list[Gap] = profile_gaps(p, catalogue)
        self.gaps_by_competence = {g.competence: g for g in self.gaps}
        self.essential = ESSENTIAL
        open_gaps = [g for g in self.gaps if g.gap > 0]
        self.comps = [g.competence for g in open_gaps]
        index = {c: i for i, c in enumerate(self.comps)}
        self.init = tuple(g.current for g in open_gaps)
        self.req = tuple(g.required for g in open_gaps)
        self.weight = tuple(g.weight for g in open_gaps)
        self.total = sum(g.weighted for g in open_gaps)
        self.first_rank = catalogue.levels[0].rank if catalogue.levels else 0
        self.reasons: dict[str, list[str]] = {}
        prepared = []
        for unit in units(catalogue):
            if unit.competences.isdisjoint(index):
                continue
            reasons = self.reasons[unit.activity.id] = static_reasons(unit.activity, p, f, today)
            if not reasons:
                parts = self._parts(unit, index)
                if parts:
                    flat = tuple(
                        (ci, entry, part.reached) for part, cis, _, entry in parts for ci in cis
                    )
                    prepared.append((unit, parts, flat))
        self.candidates = self._reachable(prepared)
        self.exact = self.coverage_proven = True
        self.greedy_key = plan_key([])
        self.nodes = 0
        self._no_prov: tuple = ((),) * len(self.comps)

    def entry(self, part: Activity) -> int:
        """The entry level a part asks for; the first level of the scale asks for nothing."""
        return 0 if part.entry <= self.first_rank else part.entry

    def _parts(self, unit: Unit, index: dict[str, int]) -> tuple:
        """The unit's parts that count for this trainer, each with the open gaps it can raise."""
        parts = []
        for part in unit.ordered:
            main = part is unit.activity
            if not main and not part_fits(part, self.profile):
                continue
            cis = tuple(
                index[c]
                for c in part.competences
                if c in index and part.reached > self.init[index[c]]
            )
            if cis:
                parts.append((part, cis, main, self.entry(part)))
        return tuple(parts)

    def _reachable(self, prepared: list[tuple]) -> list[Cand]:
        """Candidates with what each can bring once every entry level that some chain of
        candidates reaches is met (a fixpoint, capped at the required level); a unit that can
        bring nothing that way is left out."""
        levels = list(self.init)
        changed = True
        while changed:
            changed = False
            for _, _, flat in prepared:
                for ci, top in _unit_reach(flat, levels).items():
                    if top > levels[ci]:
                        levels[ci], changed = top, True
        out = []
        init, req = self.init, self.req
        for unit, parts, flat in prepared:
            low: dict[int, int] = {}
            for ci, entry, _ in flat:
                if entry < low.get(ci, entry + 1):
                    low[ci] = entry
            found = []
            for ci, top in _unit_reach(flat, levels).items():
                if top > req[ci]:
                    top = req[ci]
                if top > init[ci]:
                    found.append((ci, top, low[ci]))
            reach = tuple(sorted(found))
            if reach:
                act = unit.activity
                out.append(
                    Cand(
                        unit,
                        act.id,
                        act.hours or 0.0,
                        in_person(act),
                        dated(act),
                        parts,
                        reach,
                        flat,
                        frozenset(ci for ci, _, _ in flat),
                        unit.linked,
                    )
                )
        return out

    # Applying units -------------------------------------------------------------------------

    def met_by_level(self, activity_id: str) -> bool:
        """The trainer already holds what a prerequisite teaches, in every competence of it."""
        act = self.catalogue.activities.get(activity_id)
        return bool(act and act.competences and act.reached) and all(
            self.profile.assessed.get(c, 0) >= act.reached for c in act.competences
        )

    def prerequisites_met(self, part: Activity, plan: list[Step]) -> list[tuple[str, str]] | None:
        facts = []
        for pre in part.prerequisites:
            done = next((s for s in plan if any(x.id == pre for x in s.unit.parts)), None)
            if done is not None and before(done.unit.activity, part):
                facts.append((pre, "plan"))
            elif self.met_by_level(pre):
                facts.append((pre, "current"))
            else:
                return None
        return facts

    def apply(self, cand: Cand, plan: list[Step], hours: float) -> Step | None:
        """Place ``cand`` after ``plan``; None when it may not come next or closes nothing."""
        if len(plan) >= self.limit:
            return None
        budget = self.profile.max_hours
        if budget is not None and hours + cand.hours > budget + EPS:
            return None
        init, req, weight = self.init, self.req, self.weight
        state = plan[-1].state if plan else init
        prov = plan[-1].prov if plan else self._no_prov
        act = cand.unit.activity
        raised: dict[int, list[tuple[int, str]]] = {}
        closes, gain = [], 0.0
        for part, cis, main, entry in cand.parts:
            if not main and part.prerequisites and self.prerequisites_met(part, plan) is None:
                continue
            reached = part.reached
            for ci in cis:
                own = raised.get(ci)
                level = own[-1][0] if own else state[ci]
                if level >= req[ci] or level >= reached:
                    continue
                if not entry:
                    met_by = "scale_start"
                elif init[ci] >= entry:
                    met_by = "current"
                else:
                    met_by = next(
                        (
                            via
                            for lvl, via, owner in prov[ci]
                            if lvl >= entry and before(owner.unit.activity, act)
                        ),
                        None,
                    )
                    if met_by is None and own:
                        met_by = next((via for lvl, via in own if lvl >= entry), None)
                    if met_by is None:
                        continue
                closes.append((ci, level, reached, part.id, part.entry, met_by))
                gain += weight[ci] * (min(reached, req[ci]) - level)
                raised.setdefault(ci, []).append((reached, part.id))
        if not closes:
            return None
        for s in plan:
            if s.cand is cand or (
                cand.away
                and s.cand.away
                and cand.period
                and s.cand.period
                and overlap(act, s.unit.activity)
            ):
                return None
        pre = self.prerequisites_met(act, plan) if act.prerequisites else []
        if pre is None:
            return None
        new_state, new_prov = list(state), list(prov)
        for ci, records in raised.items():
            new_state[ci] = records[-1][0]
            new_prov[ci] = prov[ci] + tuple((lvl, via, cand) for lvl, via in records)
        return Step(cand, gain, closes, pre, tuple(new_state), tuple(new_prov))

    # Searching ------------------------------------------------------------------------------

    def greedy(self) -> list[Step]:
        """The baseline: repeatedly add the unit that closes the most weighted gap now."""
        plan: list[Step] = []
        hours = 0.0
        while True:
            best = None
            state = plan[-1].state if plan else self.init
            for cand in self.candidates:
                if not self._may_gain(cand, state):
                    continue
                step = self.apply(cand, plan, hours)
                if step is not None and (
                    best is None
                    or step.gain > best.gain + EPS
                    or (step.gain > best.gain - EPS and cand.hours < best.cand.hours)
                ):
                    best = step
            if best is None:
                return plan
            plan.append(best)
            hours += best.cand.hours

    def solve(self) -> list[Step]:
        """Greedy first, then branch and bound; the best plan found (deterministic)."""
        best = self.greedy()
        self.greedy_key = plan_key(best)
        self._best, self._best_key = best, self.greedy_key
        self._seen: set = set()
        self.nodes = self._tie_nodes = 0
        self.exact = self.coverage_proven = True
        if best and self._best_key[0] < self.total - EPS or len(best) > 1:
            try:
                self._dfs([], 0.0, 0.0)
            except _Budget:
                self.exact = self.coverage_proven = False
        return self.present(self._best)

    def _dfs(self, plan: list[Step], cov: float, hours: float) -> None:
        self.nodes += 1
        if self.nodes > NODE_BUDGET:
            raise _Budget
        head, best_head = (round(cov, 9), -len(plan), -round(hours, 6)), self._best_key[:3]
        if head >= best_head:
            key = plan_key(plan, cov, hours)
            if better(key, self._best_key):
                self._best, self._best_key = list(plan), key
        if len(plan) >= self.limit:
            return
        state = plan[-1].state if plan else self.init
        best_cov, best_n = self._best_key[0], -self._best_key[1]
        picks = self.limit - len(plan)
        budget = self.profile.max_hours
        left = None if budget is None else budget - hours
        used = frozenset(s.cand.id for s in plan)
        gains, remaining = self._bound(used, state, left)
        bound = min(remaining, sum(g for g, _ in gains[:picks]))
        if left is not None:
            bound = min(bound, _most_gain_within(left, gains))
        tie = cov + bound < best_cov + EPS
        if tie:
            # Only a tie on the gap closed is left: it must take fewer units than the best
            # plan, or as many and fewer hours. Such nodes have a budget of their own, so
            # proving ties never starves the search for more gap closed.
            self._tie_nodes += 1
            if self._tie_nodes > TIE_BUDGET:
                self.exact = False
                return
            need = best_cov - cov
            needed, total = 0, 0.0
            for g, _ in gains:
                if total >= need - EPS:
                    break
                total, needed = total + g, needed + 1
            needed = max(needed, 1)
            if total < need - EPS or len(plan) + needed > best_n:
                return
            if (
                len(plan) + needed == best_n
                and hours + _least_hours_for(need, gains) >= -self._best_key[2] - EPS
            ):
                return
        last = plan[-1].cand if plan else None
        for cand in self.candidates:
            # Two units with no open gap and no prerequisite in common give the same plan in
            # either order; only the order by id is explored.
            if (
                last is not None
                and cand.id < last.id
                and cand.gaps.isdisjoint(last.gaps)
                and cand.linked.isdisjoint(last.linked)
            ):
                continue
            if not self._may_gain(cand, state):
                continue
            step = self.apply(cand, plan, hours)
            if step is None:
                continue
            seen = (used | {cand.id}, step.prov)
            if seen in self._seen:
                continue
            self._seen.add(seen)
            plan.append(step)
            if len(plan) >= self.limit or (tie and len(plan) >= -self._best_key[1]):
                self._leaf(plan, cov + step.gain, hours + cand.hours)  # no child can do better
            else:
                self._dfs(plan, cov + step.gain, hours + cand.hours)
            plan.pop()

    def _may_gain(self, cand: Cand, state: tuple[int, ...]) -> bool:
        """A cheap necessary condition for ``apply``: some open gap below what the unit brings,
        whose entry level is held now."""
        req = self.req
        for ci, entry, reached in cand.flat:
            level = state[ci]
            if entry <= level < reached and level < req[ci]:
                return True
        return False

    def _leaf(self, plan: list[Step], cov: float, hours: float) -> None:
        self.nodes += 1
        if (round(cov, 9), -len(plan), -round(hours, 6)) >= self._best_key[:3]:
            key = plan_key(plan, cov, hours)
            if better(key, self._best_key):
                self._best, self._best_key = list(plan), key

    def _bound(
        self, used: frozenset[str], state: tuple[int, ...], left: float | None
    ) -> tuple[list[tuple[float, float]], float]:
        """Upper bounds on what unused units can still add: each one's best gain, best first,
        and the gap they could close together. A unit raises a gap at most from its lowest
        entry level (or the current level) up to the best level it can bring once every entry
        level some chain of candidates reaches is met (``Cand.reach``); dates are ignored. The
        steps different units add to one gap never overlap, so these gains can be summed."""
        weight = self.weight
        best = list(state)
        gains = []
        for cand in self.candidates:
            if cand.id in used or (left is not None and cand.hours > left + EPS):
                continue
            g = 0.0
            for ci, top, low in cand.reach:
                start = low if low > state[ci] else state[ci]
                if top > start:
                    g += weight[ci] * (top - start)
                    if top > best[ci]:
                        best[ci] = top
            if g > 0:
                gains.append((g, cand.hours))
        gains.sort(key=lambda x: -x[0])
        remaining = sum(w * (b - s) for w, b, s in zip(weight, best, state, strict=True))
        return gains, remaining

    def present(self, plan: list[Step]) -> list[Step]:
        """The same units in reading order (self-paced and earliest first) when that order is
        valid and closes as much; else the order the search found."""
        chosen = sorted(
            (s.cand for s in plan), key=lambda c: (c.period[0] if c.period else date.min, c.id)
        )
        ordered: list[Step] = []
        hours = 0.0
        while chosen:
            step = next((st for c in chosen if (st := self.apply(c, ordered, hours))), None)
            if step is None:
                return plan
            ordered.append(step)
            chosen.remove(step.cand)
            hours += step.cand.hours
        return ordered if plan_key(ordered)[:3] == plan_key(plan)[:3] else plan


def _most_gain_within(hours: float, gains: list[tuple[float, float]]) -> float:
    """An upper bound on the gain of units within ``hours``: the fractional knapsack."""
    total = 0.0
    for g, h in sorted(gains, key=lambda x: x[1] / x[0]):
        if h <= hours:
            total, hours = total + g, hours - h
        else:
            return total + (g * hours / h if h > 0 else g)
    return total


def _least_hours_for(need: float, gains: list[tuple[float, float]]) -> float:
    """A lower bound on the hours of units whose (optimistic) gains add up to ``need``: the
    fractional cover, cheapest hours per gain first."""
    hours = 0.0
    for g, h in sorted(gains, key=lambda x: x[1] / x[0]):
        if need <= EPS:
            break
        take = min(1.0, need / g)
        hours += take * h
        need -= take * g
    return hours


def _unit_reach(flat: tuple[tuple[int, int, int], ...], levels: list[int]) -> dict[int, int]:
    """The highest level a unit (``Cand.flat``) brings in each open gap whose entry level
    ``levels`` (or an earlier part of the same unit) meets; parts in the order they apply."""
    out: dict[int, int] = {}
    for ci, entry, reached in flat:
        top = out.get(ci, 0)
        if reached > top and (levels[ci] >= entry or top >= entry):
            out[ci] = reached
    return out


def plan_key(plan: list[Step], cov: float | None = None, hours: float | None = None) -> tuple:
    """What a plan is ranked by: (closed, -units, -hours, ids)."""
    if cov is None:
        cov = sum(s.gain for s in plan)
    if hours is None:
        hours = sum(s.cand.hours for s in plan)
    return (round(cov, 9), -len(plan), -round(hours, 6), tuple(sorted(s.cand.id for s in plan)))


def better(a: tuple, b: tuple) -> bool:
    """Lexicographic: more gap closed, fewer units, fewer hours, then smaller ids."""
    if a[:3] != b[:3]:
        return a[:3] > b[:3]
    return a[3] < b[3]
