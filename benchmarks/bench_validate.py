"""How long `reintegra validate` takes on the bundled framework (target: under 2 s).

Prints the wall time of a whole validation run in a fresh process (imports included, as a
designer experiences it) and of a validation in a warm process, with the number of triples.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def cold_run() -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "service", "validate"],
        cwd=ROOT,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from service.validation import validate_files

    cold = [cold_run() for _ in range(RUNS)]
    validate_files()  # warm the caches of shapes and vocabulary
    warm = []
    for _ in range(RUNS):
        start = time.perf_counter()
        report = validate_files()
        warm.append(time.perf_counter() - start)
    print(
        f"framework: {len(report.files)} files, {report.triples} triples, "
        f"{len(report.errors)} violations, {len(report.warnings)} warnings"
    )
    print(
        f"validate, new process (median of {RUNS}): {statistics.median(cold):.2f} s (target < 2 s)"
    )
    print(f"validate, warm process (median of {RUNS}): {statistics.median(warm):.2f} s")


if __name__ == "__main__":
    main()
