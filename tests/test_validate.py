"""`reintegra validate`: valid content passes; each deliberately invalid example fails at the
right file and line with a message a designer understands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli.commands import main
from service.validation import validate_files

DATA = Path(__file__).parent / "data"
ONTOLOGY = Path(__file__).parent.parent / "ontology"
FIXTURE = DATA / "framework"
INVALID = sorted((DATA / "invalid").glob("*.ttl"))


def expectations(path: Path) -> list[tuple[int, str]]:
    """Lines marked `# expect: <message fragment>` in an invalid example."""
    found = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = re.search(r"# expect: (.+)$", line)
        if match:
            found.append((number, match.group(1).strip()))
    return found


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


def test_fixture_framework_is_valid():
    report = validate_files([ONTOLOGY, FIXTURE])
    assert report.conforms, [v.message for v in report.errors]


def test_a_complete_added_competence_is_valid():
    result = run(str(ONTOLOGY), str(FIXTURE), str(DATA / "valid" / "extra-competence.ttl"))
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("valid: 0 violations")


@pytest.mark.parametrize("example", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_example_fails_at_its_line(example):
    expected = expectations(example)
    assert expected, f"{example.name} marks no expected problem"
    result = run(str(ONTOLOGY), str(FIXTURE), str(example))
    assert result.exit_code == 1, result.output
    for line, fragment in expected:
        located = [
            row
            for row in result.output.splitlines()
            if re.search(rf"{re.escape(example.name)}:{line}(:\d+)?: error", row)
        ]
        assert located, f"nothing reported at {example.name}:{line}\n{result.output}"
        assert any(fragment in row for row in located), (fragment, located)


def test_syntax_error_is_file_line_column():
    example = DATA / "invalid" / "syntax-error.ttl"
    report = validate_files([ONTOLOGY, FIXTURE, example])
    (problem,) = report.errors
    ((line, _),) = expectations(example)
    assert problem.check == "syntax"
    assert problem.where().endswith(f"syntax-error.ttl:{line}:20")


def test_violation_names_label_path_and_value():
    report = validate_files([ONTOLOGY, FIXTURE, DATA / "invalid" / "non-esco-mapping.ttl"])
    pattern = [v for v in report.errors if "ESCO skill IRI" in v.message]
    assert len(pattern) == 1
    (violation,) = pattern
    assert violation.label == "Working with interpreters"
    assert violation.value == "<http://127.0.0.1/not-esco/skill/interpreting>"
    assert "skos:closeMatch" in violation.path
    assert violation.focus == "https://w3id.org/reintegra/competence/working-with-interpreters"


def test_json_output_for_machines():
    example = DATA / "invalid" / "missing-descriptor.ttl"
    result = run("--format", "json", str(ONTOLOGY), str(FIXTURE), str(example))
    assert result.exit_code == 1
    body = json.loads(result.output)
    assert body["conforms"] is False and body["violations"] >= 1
    (missing,) = [r for r in body["results"] if "no level descriptor" in r["message"]]
    ((line, _),) = expectations(example)
    assert missing["file"].endswith("missing-descriptor.ttl") and missing["line"] == line
    assert missing["value"] == "level:C2"


def test_missing_file_is_one_clear_error():
    result = run("no-such-file.ttl")
    assert result.exit_code == 2
    assert "no-such-file.ttl: no such file" in result.output
    assert "Traceback" not in result.output


def test_the_bundled_content_validates():
    """What designers ship: `reintegra validate` with no arguments is clean."""
    result = run()
    assert result.exit_code == 0, result.output[-3000:]
