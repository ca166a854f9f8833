"""The gettext catalogues: current, complete, compiled on demand, and true to the ontology."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from service.catalogue.vocabulary import read_vocabulary
from service.i18n import catalogues, translations
from service.i18n.__main__ import main
from service.i18n.check import (
    check_catalogues,
    check_translation,
    compare_template,
    extract,
    placeholders,
    read_catalogue,
)

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "service" / "i18n" / "locale"
TRANSLATED = ("it", "ro", "nl")


def test_the_catalogues_are_current_and_complete():
    """What `make i18n-check` runs: a stale template or an untranslated word fails the build."""
    problems = check_catalogues(ROOT, ROOT / "babel.cfg", TRANSLATED)
    assert [str(p) for p in problems] == []


def test_the_check_command_exits_non_zero_on_a_problem(tmp_path, capsys, monkeypatch):
    assert main(["check", "--root", str(ROOT)]) == 0
    monkeypatch.setattr("service.i18n.check.LOCALE_DIR", tmp_path)
    monkeypatch.setattr(
        "service.i18n.__main__.check_catalogues",
        lambda root, config, languages: check_catalogues(root, config, languages, tmp_path),
    )
    assert main(["check", "--root", str(ROOT)]) == 1
    assert "the template is missing" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("%(num)d competences", {"%(num)d": 1}),
        ("from %(entry)s to %(reached)s", {"%(entry)s": 1, "%(reached)s": 1}),
        ("100%% sure, %s and %d", {"%s": 1, "%d": 1}),
        ("{n} hours, {{literal}}, {}", {"{n}": 1, "{}": 1}),
        ("no placeholder", {}),
    ],
)
def test_placeholders(text, found):
    assert placeholders(text) == found


TEMPLATE = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"

#, python-format
msgid "from %(entry)s to %(reached)s"
msgstr ""

msgid "Results"
msgstr ""

msgid "Examples"
msgstr ""

msgid "Contents"
msgstr ""

msgctxt "rg:Strand"
msgid "Strand"
msgid_plural "Strands"
msgstr[0] ""
msgstr[1] ""

msgid "Field:"
msgstr ""
"""

BAD_PO = """\
msgid ""
msgstr ""
"Language: nl\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

#, python-format
msgid "from %(entry)s to %(reached)s"
msgstr "van %(begin)s naar %(reached)s"

#, fuzzy
msgid "Results"
msgstr "Resultaten"

msgid "Examples"
msgstr ""

msgctxt "rg:Strand"
msgid "Strand"
msgid_plural "Strands"
msgstr[0] "Pijler"

msgid "Not in the template"
msgstr "Niet in de sjabloon"
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_catalogue_is_reported_entry_by_entry(tmp_path):
    template = read_catalogue(_write(tmp_path / "messages.pot", TEMPLATE))
    po = read_catalogue(_write(tmp_path / "nl.po", BAD_PO), "nl")
    found = "\n".join(str(p) for p in check_translation(po, template, "nl.po"))
    assert "placeholders %(begin)s, %(reached)s instead of %(entry)s, %(reached)s" in found
    assert "fuzzy (review it, then remove the flag): 'Results'" in found
    assert "untranslated: 'Examples'" in found
    assert "missing (run make i18n-update): 'Contents'" in found
    assert "missing (run make i18n-update): 'Field:'" in found
    assert "untranslated: 'Strand' (context 'rg:Strand')" in found  # a plural form is missing
    assert "not in the template (run make i18n-update): 'Not in the template'" in found
    assert len(found.splitlines()) == 7


def test_a_good_catalogue_passes(tmp_path):
    template = read_catalogue(_write(tmp_path / "messages.pot", TEMPLATE))
    good = BAD_PO.split('msgid "Not in the template"')[0]
    good = good.replace("%(begin)s", "%(entry)s").replace("#, fuzzy\n", "")
    good = good.replace('msgid "Examples"\nmsgstr ""', 'msgid "Examples"\nmsgstr "Voorbeelden"')
    good = good.replace('msgstr[0] "Pijler"', 'msgstr[0] "Pijler"\nmsgstr[1] "Pijlers"')
    good += 'msgid "Contents"\nmsgstr "Inhoud"\n\nmsgid "Field:"\nmsgstr "Veld:"\n'
    po = read_catalogue(_write(tmp_path / "nl.po", good), "nl")
    assert check_translation(po, template, "nl.po") == []


def test_a_template_behind_the_sources_is_reported(tmp_path):
    source = tmp_path / "service" / "page.py"
    _write(source, 'from flask_babel import gettext\n\nTITLE = gettext("Results")\n')
    config = _write(tmp_path / "babel.cfg", "[python: service/**.py]\n")
    template = read_catalogue(_write(tmp_path / "messages.pot", TEMPLATE))
    assert [str(p) for p in compare_template(extract(tmp_path, config), template, "pot")] == [
        "pot: no longer in the sources: 'Contents'",
        "pot: no longer in the sources: 'Examples'",
        "pot: no longer in the sources: 'Field:'",
        "pot: no longer in the sources: 'Strand' (context 'rg:Strand')",
        "pot: no longer in the sources: 'from %(entry)s to %(reached)s'",
    ]
    source.write_text(source.read_text() + 'MORE = gettext("A new word")\n')
    problems = compare_template(extract(tmp_path, config), template, "pot")
    assert "pot: not in the template: 'A new word'" in [str(p) for p in problems]


def test_a_missing_or_stale_mo_is_compiled(tmp_path):
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE, locale, ignore=shutil.ignore_patterns("*.mo"))
    written = catalogues.compile_catalogues(locale)
    assert sorted(p.parent.parent.name for p in written) == ["it", "nl", "ro"]
    assert catalogues.compile_catalogues(locale) == []  # all current now
    po = locale / "ro" / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    os.utime(mo, (mo.stat().st_atime, po.stat().st_mtime - 10))
    assert catalogues.compile_catalogues(locale) == [mo]


def test_translations_speak_the_language():
    assert translations("it").gettext("Results") == "Risultati"
    assert translations("ro").npgettext("rg:Competence", "Competence", "Competences", 20) == (
        "Competențe"
    )
    assert translations("en").gettext("Results") == "Results"


_PLACEHOLDER = re.compile(r"%\(\w+\)[ds]|%[ds]")


def _bare(text: str) -> str:
    return _PLACEHOLDER.sub("", text).strip().casefold()


def test_names_of_framework_terms_agree_with_the_ontology(store):
    """A message whose context is ``rg:<term>`` names that term: its singular is the
    ontology's label in every language, so the ontology stays the one source of the words."""
    vocabulary = read_vocabulary(store)
    template = read_catalogue(LOCALE / "messages.pot")
    terms = [m for m in template if m.id and (m.context or "").startswith("rg:")]
    assert len(terms) >= 10
    for message in terms:
        name = message.context.removeprefix("rg:")
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        assert _PLACEHOLDER.sub("", singular).strip().casefold() == (
            vocabulary.label(name, "en").casefold()
        ), message.context
        for lang in TRANSLATED:
            text = translations(lang).npgettext(message.context, message.id[0], message.id[1], 1)
            assert _bare(text) == vocabulary.label(name, lang).casefold(), (lang, name)
