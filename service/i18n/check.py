"""The catalogue check CI runs: current, complete, not fuzzy, placeholders kept.

``python -m service.i18n check`` fails when the template (``messages.pot``) no longer matches
the words in the sources, when a language's ``.po`` does not hold exactly the template's
messages, when an entry is untranslated or fuzzy, or when a translation drops, adds or changes
a placeholder (``%(name)s``, ``%s``, ``{name}``) of its source text. Locations (file:line) are
not compared: moving a line is not a change translators need to see.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from service.i18n.catalogues import DOMAIN, LOCALE_DIR

#: Extraction as ``make i18n-update`` runs it (``pybabel extract -c TRANSLATORS:``).
COMMENT_TAGS = ("TRANSLATORS:",)

_PERCENT = re.compile(r"%(?:\((?P<name>\w+)\))?[#0\- +]*(?:\d+|\*)?(?:\.\d+)?(?P<type>[a-zA-Z%])")
_BRACE = re.compile(r"\{\{|\}\}|\{(?P<field>[^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}")


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding, named by file and message so a translator can go straight to it."""

    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


def placeholders(text: str) -> Counter[str]:
    """The placeholders of a text, counted: ``%(name)s``, ``%d``, ``{name}``, ``{}``."""
    found: Counter[str] = Counter()
    for match in _PERCENT.finditer(text):
        if match["type"] != "%":
            found[
                f"%({match['name']}){match['type']}" if match["name"] else f"%{match['type']}"
            ] += 1
    for match in _BRACE.finditer(text):
        if match["field"] is not None:
            found["{" + match["field"] + "}"] += 1
    return found


def _label(message: Message) -> str:
    ident = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    context = f" (context {message.context!r})" if message.context else ""
    return f"{ident!r}{context}"


def _key(message: Message) -> tuple[str | None, str]:
    ident = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return message.context, ident


def _plural(message: Message) -> str | None:
    return message.id[1] if isinstance(message.id, (list, tuple)) else None


def _messages(catalog: Catalog) -> dict[tuple[str | None, str], Message]:
    return {_key(m): m for m in catalog if m.id}


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale, domain=DOMAIN)


def extract(root: Path, config: Path) -> Catalog:
    """The template as the sources read now, extracted as ``pybabel extract`` does."""
    with config.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, filename=str(config))
    catalog = Catalog(domain=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=DEFAULT_KEYWORDS, comment_tags=COMMENT_TAGS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def compare_template(extracted: Catalog, template: Catalog, name: str) -> list[Problem]:
    """Differences in messages (not in locations or header dates) between two templates."""
    new, old = _messages(extracted), _messages(template)
    problems = [
        Problem(name, f"not in the template: {_label(new[k])}") for k in new if k not in old
    ]
    problems += [
        Problem(name, f"no longer in the sources: {_label(old[k])}") for k in old if k not in new
    ]
    for key in new.keys() & old.keys():
        a, b = new[key], old[key]
        if _plural(a) != _plural(b) or a.python_format != b.python_format:
            problems.append(Problem(name, f"changed in the sources: {_label(a)}"))
        elif list(a.auto_comments) != list(b.auto_comments):
            problems.append(Problem(name, f"translator comment changed: {_label(a)}"))
    return sorted(problems, key=str)


def check_translation(catalog: Catalog, template: Catalog, name: str) -> list[Problem]:
    """A language's catalogue against the template: current, complete, not fuzzy, placeholders."""
    problems: list[Problem] = []
    if catalog.fuzzy:
        problems.append(Problem(name, "the header is marked fuzzy"))
    wanted, held = _messages(template), _messages(catalog)
    problems += [
        Problem(name, f"missing (run make i18n-update): {_label(wanted[k])}")
        for k in wanted
        if k not in held
    ]
    problems += [
        Problem(name, f"not in the template (run make i18n-update): {_label(held[k])}")
        for k in held
        if k not in wanted
    ]
    for key, message in held.items():
        if key not in wanted:
            continue
        problems += _check_message(message, wanted[key], catalog.num_plurals, name)
    return problems


def _check_message(message: Message, source: Message, forms: int, name: str) -> list[Problem]:
    label = _label(message)
    if _plural(message) != _plural(source):
        return [Problem(name, f"plural differs from the template (run make i18n-update): {label}")]
    if message.fuzzy:
        return [Problem(name, f"fuzzy (review it, then remove the flag): {label}")]
    if isinstance(message.id, (list, tuple)):
        strings = list(message.string) if isinstance(message.string, (list, tuple)) else []
        if len(strings) != forms:
            return [Problem(name, f"needs {forms} plural forms, has {len(strings)}: {label}")]
        sources = [message.id[0]] + [message.id[1]] * (forms - 1)
    else:
        strings, sources = [message.string], [message.id]
    if not all(strings):
        return [Problem(name, f"untranslated: {label}")]
    problems = []
    for index, (text, original) in enumerate(zip(strings, sources, strict=True)):
        if placeholders(text) != placeholders(original):
            got = ", ".join(sorted(placeholders(text))) or "none"
            want = ", ".join(sorted(placeholders(original))) or "none"
            form = f" (form {index})" if len(strings) > 1 else ""
            problems.append(Problem(name, f"placeholders {got} instead of {want}{form}: {label}"))
    return problems


def check_catalogues(
    root: Path,
    config: Path,
    languages: Sequence[str],
    locale_dir: Path = LOCALE_DIR,
) -> list[Problem]:
    """Every check, over the template and the catalogue of each language."""
    pot = locale_dir / f"{DOMAIN}.pot"
    if not pot.is_file():
        return [Problem(str(pot), "the template is missing (run make i18n-update)")]
    template = read_catalogue(pot)
    problems = compare_template(extract(root, config), template, str(pot))
    for lang in languages:
        po = locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not po.is_file():
            problems.append(Problem(str(po), "missing (run make i18n-update)"))
            continue
        problems += check_translation(read_catalogue(po, lang), template, str(po))
    return problems


def report(problems: Iterable[Problem]) -> str:
    lines = [str(p) for p in problems]
    return "\n".join(lines) if lines else "translations: current and complete"
