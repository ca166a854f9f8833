"""Planner speed in-process: one recommendation, batch throughput, and the same with ESCO loaded.

The catalogue is built once from an in-memory store holding the bundled ontology and framework;
then recommendations are pure Python over it (targets: batch at least 2,000 profiles per second
on one core; no slowdown with ESCO in the store, since only the framework graphs are read).
ESCO comes from ``../shared/esco/*.csv`` beside the repository, turned into triples in the ESCO
graph here; without it, the same number of synthetic skills is used.

    python benchmarks/bench_planner.py [--profiles 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import orjson
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from planner_instances import random_profile  # noqa: E402
from service.catalogue import load_catalogue  # noqa: E402
from service.namespaces import ESCO, ESCO_GRAPH  # noqa: E402
from service.planning.answers import recommend  # noqa: E402
from service.store import EmbeddedStore  # noqa: E402
from service.store.bundle import load_bundled  # noqa: E402

ESCO_DIR = ROOT.parent / "shared" / "esco"
TODAY = date(2026, 12, 1)


def esco_triples() -> tuple[str, str]:
    """N-Triples for ESCO's skills and occupations, and where they came from."""
    lines: list[str] = []

    def add(s, p, o) -> None:
        lines.append(f"{s.n3()} {p.n3()} {o.n3()} .\n")

    skills, occupations = ESCO_DIR / "skills.csv", ESCO_DIR / "occupations.csv"
    if skills.exists() and occupations.exists():
        csv.field_size_limit(10**7)
        for path, kind in ((skills, ESCO.Skill), (occupations, ESCO.Occupation)):
            with path.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    iri = URIRef(row["conceptUri"])
                    add(iri, RDF.type, kind)
                    label = row.get("preferredLabel") or " ".join(row.get("text", "").split()[:6])
                    add(iri, SKOS.prefLabel, Literal(label, lang="en"))
                    for alt in filter(None, (row.get("altLabels") or "").split("\n")):
                        add(iri, SKOS.altLabel, Literal(alt, lang="en"))
                    text = row.get("description") or row.get("text") or ""
                    if text:
                        add(iri, SKOS.definition, Literal(text, lang="en"))
        return "".join(lines), f"the ESCO extract in {ESCO_DIR.relative_to(ROOT.parent)}"
    for i in range(13_939 + 3_007):
        iri = URIRef(f"http://data.europa.eu/esco/skill/synthetic-{i:05d}")
        add(iri, RDF.type, ESCO.Skill)
        add(iri, SKOS.prefLabel, Literal(f"synthetic skill {i}", lang="en"))
        add(iri, SKOS.definition, Literal(f"A synthetic skill for the benchmark, {i}.", lang="en"))
    return "".join(lines), "synthetic skills (no ESCO extract beside the repository)"


def build_ms(stores: dict[str, EmbeddedStore], runs: int = 10) -> dict[str, float]:
    """The fastest catalogue build from each store, in milliseconds, the stores taking turns."""
    best = dict.fromkeys(stores, float("inf"))
    for _ in range(runs):
        for name, store in stores.items():
            started = time.perf_counter()
            load_catalogue(store)
            best[name] = min(best[name], time.perf_counter() - started)
    return {name: seconds * 1000 for name, seconds in best.items()}


def batch(catalogue, profiles: list[dict], *, as_json: bool) -> float:
    started = time.perf_counter()
    for profile in profiles:
        answer = recommend(profile, catalogue, today=TODAY)
        if as_json:
            orjson.dumps(answer)  # as `reintegra recommend --batch` writes each line
    return time.perf_counter() - started


def measure(catalogues: dict[str, object], profiles: list[dict], rounds: int) -> dict:
    """Interleaved rounds over every catalogue, keeping the best of each: other processes on
    the machine slow some rounds down, never speed one up."""
    out = {name: {"single": [], "batch": float("inf"), "json": float("inf")} for name in catalogues}
    for _ in range(rounds):
        for name, catalogue in catalogues.items():
            single = out[name]["single"]
            for profile in profiles[:300]:
                started = time.perf_counter()
                recommend(profile, catalogue, today=TODAY)
                single.append((time.perf_counter() - started) * 1000)
            out[name]["batch"] = min(out[name]["batch"], batch(catalogue, profiles, as_json=False))
            out[name]["json"] = min(out[name]["json"], batch(catalogue, profiles, as_json=True))
    for figures in out.values():
        figures["median_ms"] = statistics.median(figures["single"])
        figures["p95_ms"] = statistics.quantiles(figures["single"], n=20)[-1]
        figures["per_s"] = len(profiles) / figures["batch"]
        figures["per_s_json"] = len(profiles) / figures["json"]
    return out


def report(title: str, built: float, f: dict) -> None:
    print(title)
    print(f"  catalogue built once in {built:.1f} ms")
    print(
        f"  one recommendation (in-process): median {f['median_ms']:.3f} ms, "
        f"p95 {f['p95_ms']:.3f} ms"
    )
    print(
        f"  batch on one core: {f['per_s']:,.0f} profiles/s (recommend), "
        f"{f['per_s_json']:,.0f} profiles/s (recommend + JSON line)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    store = EmbeddedStore()
    load_bundled(store)
    plain = load_catalogue(store)
    if not plain.roles or not plain.activities:
        sys.exit("the bundled framework has no roles or activities yet")
    rng = random.Random(2027)
    profiles = [
        random_profile(rng, plain, strict=rng.choice([0.0, 0.5, 1.0])) for _ in range(args.profiles)
    ]
    plans = [recommend(p, plain, today=TODAY) for p in profiles[:500]]
    print(
        f"framework: {len(plain.activities)} activities, {len(plain.competences)} "
        f"competences, {len(plain.roles)} roles; {len(profiles)} generated profiles"
    )
    proven = sum(p["search"]["coverage_proven"] for p in plans) / len(plans)
    exact = sum(p["search"]["exact"] for p in plans) / len(plans)
    print(
        f"plans hold {statistics.fmean(len(p['plan']) for p in plans):.1f} activities on "
        f"average; gap closed proven optimal in {proven:.1%} of plans, fewest activities "
        f"and hours proven too in {exact:.1%}"
    )
    triples, source = esco_triples()
    esco_store = EmbeddedStore()
    load_bundled(esco_store)
    started = time.perf_counter()
    esco_store.replace_graph(ESCO_GRAPH, triples)
    loaded_s = time.perf_counter() - started
    size = esco_store.graph_size(ESCO_GRAPH)
    built = build_ms({"plain": store, "esco": esco_store})
    with_esco = load_catalogue(esco_store)
    same = (
        plain.levels == with_esco.levels
        and dict(plain.competences) == dict(with_esco.competences)
        and dict(plain.roles) == dict(with_esco.roles)
        and dict(plain.activities) == dict(with_esco.activities)
    )
    # The catalogue and the profiles live for the whole run: freeze them out of the cyclic
    # garbage collector's scans, as a long-running batch or server process should.
    gc.freeze()
    figures = measure({"plain": plain, "esco": with_esco}, profiles, args.rounds)
    report("framework graphs only:", built["plain"], figures["plain"])
    report(
        f"with ESCO loaded ({size:,} triples from {source}, loaded in {loaded_s:.1f} s):",
        built["esco"],
        figures["esco"],
    )
    print(
        f"with ESCO / without: catalogue build x{built['esco'] / built['plain']:.2f}, "
        f"batch throughput x{figures['esco']['per_s'] / figures['plain']['per_s']:.2f}; "
        f"the two catalogues are {'identical' if same else 'DIFFERENT'}"
    )
    store.close()
    esco_store.close()


if __name__ == "__main__":
    main()
