"""`reintegra gaps` and `reintegra recommend`, one profile or a batch, on the fixture framework."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli.commands import main

FIXTURE = str(Path(__file__).resolve().parent / "data" / "framework")
PROFILE = {
    "name": "Ana",
    "roles": ["language-trainer"],
    "assessments": [{"competence": "adult-language-pedagogy", "level": "B1", "source": "self"}],
    "languages": ["it", "en"],
    "country": "RO",
}


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, [*args, "--framework-dir", FIXTURE], input=stdin)


@pytest.fixture
def profile_file(tmp_path):
    path = tmp_path / "ana.json"
    path.write_text(json.dumps(PROFILE), encoding="utf-8")
    return path


def test_recommend_prints_the_plan_as_json(profile_file):
    result = run("recommend", str(profile_file), "--today", "2026-12-01")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert [i["activity"] for i in answer["plan"]] == ["module-networks", "week-italy"]
    assert answer["coverage"]["ratio"] == 1.0


def test_recommend_in_italian_as_text_with_a_limit(profile_file):
    result = run(
        "recommend",
        str(profile_file),
        "--lang",
        "it",
        "--limit",
        "1",
        "--format",
        "text",
        "--today",
        "2026-12-01",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Plan: 1 activities")
    assert "«Mappare i servizi locali» porta" in result.stdout
    assert "Gaps left open:" in result.stdout


def test_filters_reach_the_planner(profile_file):
    result = run(
        "recommend", str(profile_file), "--filter-format", "Coaching", "--today", "2026-12-01"
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["filters"]["format"] == ["Coaching"]
    assert all(i["format"] == "Coaching" for i in answer["plan"])


def test_gaps_as_json_and_as_a_table(profile_file):
    result = run("gaps", str(profile_file), "--lang", "nl")
    assert result.exit_code == 0, result.output
    rows = {c["competence"]: c for c in json.loads(result.stdout)["competences"]}
    assert rows["adult-language-pedagogy"]["label"] == "Taaldidactiek voor volwassenen"
    table = run("gaps", str(profile_file), "--format", "text")
    assert table.exit_code == 0
    assert table.stdout.splitlines()[0].split() == [
        "competence",
        "current",
        "required",
        "gap",
        "weighted",
        "source",
    ]
    assert "total weighted gap 9 over 3 of 3 competences" in table.stdout


def test_malformed_json_names_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"roles": ["language-trainer"],\n  "languages": [it]}\n', encoding="utf-8")
    result = run("recommend", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:2:17:" in result.stderr
    assert "Traceback" not in result.output


def test_a_bad_profile_names_file_field_and_problem(tmp_path):
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(dict(PROFILE, roles=["pilot"])), encoding="utf-8")
    result = run("gaps", str(wrong))
    assert result.exit_code == 2
    assert f"{wrong}: /roles/0: unknown role 'pilot'" in result.stderr


def test_a_missing_file_is_named(tmp_path):
    result = run("recommend", str(tmp_path / "nowhere.json"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_one_profile_or_a_batch_not_both():
    assert run("recommend").exit_code == 2
    assert run("recommend", "a.json", "--batch", "b.jsonl").exit_code == 2


def test_batch_writes_one_line_per_profile_and_keeps_going(tmp_path, profile_file):
    lines = [
        json.dumps(PROFILE),
        "{not json",
        "",
        json.dumps(dict(PROFILE, country="ZZ")),
        json.dumps(dict(PROFILE, languages=["nl"])),
    ]
    batch = tmp_path / "profiles.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("recommend", "--batch", str(batch), "--today", "2026-12-01")
    assert result.exit_code == 1  # some lines failed
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["line"] for o in out] == [1, 2, 4, 5]
    assert out[1]["error"]["code"] == "input_file" and f"{batch}:2:" in out[1]["error"]["message"]
    assert out[2]["error"] == {
        "status": 422,
        "code": "validation_failed",
        "message": out[2]["error"]["message"],
        "pointer": "/country",
    }
    single = json.loads(run("recommend", str(profile_file), "--today", "2026-12-01").stdout)
    assert {k: v for k, v in out[0].items() if k != "line"} == single
    assert out[3]["plan"] == []  # Dutch only: nothing in the fixture fits
    assert {u["reason"] for u in out[3]["unclosed"]} <= {"not_available", "entry_level"}
    assert "2 plans, 2 errors" in result.stderr


def test_batch_reads_stdin_and_shows_progress_when_asked():
    stdin = "\n".join(json.dumps(PROFILE) for _ in range(30)) + "\n"
    result = run("recommend", "--batch", "-", "--progress", stdin=stdin)
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 30
    assert "30/30" in result.stderr  # the tqdm bar
    quiet = run("recommend", "--batch", "-", "--no-progress", stdin=stdin)
    assert "30/30" not in quiet.stderr
