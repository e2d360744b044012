"""The Italian catalogues hold exactly what the sources say, every message translated.

One check for both domains: ``pages`` (templates) and ``code`` (Python of tracker/ and workflows/).
When it fails: ``make translations`` brings the new msgids into the catalogues (and drops the
vanished ones); then translate each empty or fuzzy entry.
"""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from tracker.i18n import DOMAINS, TRANSLATED, catalogue_path, extract

# %s, %d, %(name)s, %(count)d... and the escaped %%
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])")

CATALOGUES = [(domain, language) for domain in DOMAINS for language in TRANSLATED]


def placeholders(text: str) -> list[str]:
    """The placeholders of a message, named ones by name, positional ones in order."""
    return sorted(f"{name or ''}:{kind}" for name, kind in PLACEHOLDER.findall(text) if kind != "%")


def read(domain: str, language: str):
    path = catalogue_path(domain, language)
    assert path.exists(), f"{path} is missing: run `make translations`"
    with path.open("rb") as f:
        return read_po(f, locale=language, domain=domain)


def keys(catalog) -> set:
    return {(m.context, m.id) for m in catalog if m.id}


@pytest.mark.parametrize(("domain", "language"), CATALOGUES)
def test_catalogue_holds_exactly_what_the_sources_say(domain, language):
    catalog, sources = read(domain, language), keys(extract(domain))
    missing = sorted(str(k[1]) for k in sources - keys(catalog))
    vanished = sorted(str(k[1]) for k in keys(catalog) - sources)
    assert not missing, (
        f"{len(missing)} new msgids not in {domain}.po (make translations): {missing[:20]}"
    )
    assert not vanished, f"{len(vanished)} msgids no source says any more: {vanished[:20]}"


@pytest.mark.parametrize(("domain", "language"), CATALOGUES)
def test_every_message_is_translated_with_its_placeholders(domain, language):
    problems = []
    for message in read(domain, language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        where = f"{ids[0]!r}"
        if message.fuzzy:
            problems.append(f"fuzzy: {where}")
        if not all(s.strip() for s in strings):
            problems.append(f"untranslated: {where}")
            continue
        if len(ids) == 1 and placeholders(strings[0]) != placeholders(ids[0]):
            problems.append(f"placeholders differ: {where} -> {strings[0]!r}")
        if len(ids) > 1:  # plural forms: each uses only the msgid's placeholders, the last all
            allowed = set(placeholders(ids[0])) | set(placeholders(ids[1]))
            if not all(set(placeholders(s)) <= allowed for s in strings) or set(
                placeholders(strings[-1])
            ) != set(placeholders(ids[1])):
                problems.append(f"plural placeholders differ: {where} -> {strings!r}")
    assert not problems, f"{len(problems)} problems in {domain}.po:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_message_both_catalogues_hold_reads_the_same_in_both(language):
    """Pages look a message up in both catalogues merged (the ``code`` one wins): a msgid both
    hold must mean the same, or a page says the other domain's word. Where the same English
    means two things, the template gives it a context: ``pgettext('count', 'Submitted')``."""
    pages = {(m.context, m.id): m.string for m in read("pages", language) if m.id}
    code = {(m.context, m.id): m.string for m in read("code", language) if m.id}
    differ = sorted(
        f"{key[1]!r}: pages {pages[key]!r}, code {code[key]!r}"
        for key in pages.keys() & code.keys()
        if pages[key] != code[key]
    )
    assert not differ, f"{len(differ)} msgids translated differently:\n" + "\n".join(differ)


def test_the_placeholder_check_catches_what_it_should():
    assert placeholders("%(n)s of the %(required)d firms") == ["n:s", "required:d"]
    assert placeholders("100%% of %s") == [":s"]
    assert placeholders("%(n)s delle %(required)d imprese") == placeholders("%(required)d... %(n)s")
    assert placeholders("%(n)s imprese") != placeholders("%(count)s imprese")
