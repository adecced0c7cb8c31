"""Incremental builds: after any sequence of edits, a rebuild gives the same site as a cold build.

A seeded random sequence of edits (edit, add and delete notes, add sources,
change a fact, change the config) is applied to the mini project; after each
one the project is rebuilt where it is (reusing the pages that did not change)
and, in a copy with no cache and no site, built cold. The two sites must be
byte-identical, and the rebuild must have reused pages where it could.
"""

from __future__ import annotations

import filecmp
import random
import re
import shutil
from pathlib import Path

import pytest

from build_scripts.__main__ import main

from .conftest import cli, plain_mkdocs, write


def build(project: Path, expect: int = 0) -> str:
    """`python -m build_scripts build` on two cores, in a process of its own; returns stderr.

    As a user runs it: pages render on forked workers, which the test runner's own threads would rule out
    in-process.
    """
    done = cli(project, "build", "--jobs", "2")
    assert done.returncode == expect, done.stderr
    return done.stderr


def differences(a: Path, b: Path) -> list[str]:
    """Files that differ or exist on one side only, recursively."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found.extend(prefix + n for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b), "")
    return sorted(found)


class Edits:
    """Random edits a researcher makes to a project."""

    def __init__(self, project: Path, rng: random.Random):
        self.project, self.rng, self.added = project, rng, 0

    def notes(self) -> list[Path]:
        return sorted((self.project / "content" / "notes").glob("*.md"))

    def edit_note(self) -> str:
        note = self.rng.choice(self.notes())
        with note.open("a", encoding="utf-8") as file:
            file.write(f"\nA further thought, number {self.rng.randint(1, 999)} [@lo2008, p. 3].\n")
        return f"edit {note.name}"

    def add_note(self) -> str:
        self.added += 1
        write(self.project / "content" / "notes" / f"extra-{self.added}.md",
              f"---\nid: extra-{self.added}\ntitle: Extra note {self.added}\nsources: [baev2021]\ntopics: [beta]\n---\n"
              f"Baev says more [@baev2021, p. {self.rng.randint(2, 40)}]. See [[alpha]].\n")  # fmt: skip
        return f"add extra-{self.added}"

    def delete_note(self) -> str:
        extra = [n for n in self.notes() if n.name.startswith(("extra-", "new"))]
        if not extra:
            return self.add_note()
        victim = self.rng.choice(extra)
        victim.unlink()
        return f"delete {victim.name}"

    def add_source(self) -> str:
        self.added += 1
        key = f"new{self.added}"
        entry = f"@book{{{key},\n  author = {{Novak, Ana}},\n  title = {{Volume {self.added}}},\n  year = {{20{10 + self.added}}}\n}}\n"
        assert (
            main(["-f", str(self.project / "mkdocs.yml"), "add-source", str(write(self.project / f"{key}.bib", entry))])
            == 0
        )
        return f"add-source {key}"

    def change_fact(self) -> str:
        topic = self.project / "content" / "topics" / "alpha.md"
        text = topic.read_text(encoding="utf-8")
        label = f"Bilateral trade (revised {self.rng.randint(1, 999)})"
        topic.write_text(re.sub(r"label: Bilateral trade[^,]*,", f"label: {label},", text, count=1), encoding="utf-8")
        return f"relabel a fact: {label}"

    def change_config(self) -> str:
        config = self.project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(re.sub(r"^site_name: .*$", f"site_name: Mini study {self.rng.randint(1, 999)}", text,
                                 flags=re.M), encoding="utf-8")  # fmt: skip
        return "rename the site"


@pytest.mark.parametrize("seed", [1, 2])
def test_rebuilds_after_random_edits_equal_cold_builds(mini, tmp_path, seed):
    rng = random.Random(seed)
    edits = Edits(mini, rng)
    operations = [edits.edit_note, edits.add_note, edits.delete_note, edits.add_source, edits.change_fact,
                  edits.change_config]  # fmt: skip
    build(mini)
    steps = [operations[i % len(operations)] for i in range(len(operations))]  # each at least once
    rng.shuffle(steps)
    steps += rng.choices(operations, k=3)
    reused_some = False
    for number, step in enumerate(steps):
        what = step()
        report = build(mini)
        reused = int(re.search(r"(\d+) reused", report).group(1))
        reused_some |= reused > 0
        cold = tmp_path / f"cold-{number}"
        shutil.copytree(mini, cold, ignore=shutil.ignore_patterns(".research-cache", "site", "site.old", ".site-*"))
        build(cold)
        assert differences(mini / "site", cold / "site") == [], f"after step {number} ({what})"
        shutil.rmtree(cold)
    assert reused_some


def test_a_page_changed_by_hand_in_the_site_is_rendered_again(mini):
    build(mini)
    page = mini / "site" / "notes" / "lo-note" / "index.html"
    good = page.read_bytes()
    page.write_text("tampered", encoding="utf-8")
    report = build(mini)
    assert "1 pages rendered" in report
    assert page.read_bytes() == good


def test_config_change_renders_every_page_again(mini):
    first = build(mini)
    total = int(re.search(r"(\d+) pages rendered", first).group(1))
    assert "0 pages rendered" in build(mini)
    Edits(mini, random.Random(0)).change_config()
    assert f"{total} pages rendered, 0 reused" in build(mini)


def test_a_warning_in_a_worker_fails_the_build_and_keeps_the_site(mini):
    build(mini)
    before = (mini / "site" / "notes" / "lo-note" / "index.html").read_bytes()
    note = mini / "content" / "notes" / "lo-note.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nSee [the appendix](appendix.md).\n", encoding="utf-8")
    err = build(mini, expect=1)
    assert "'appendix.md'" in err
    assert "the previous site/ is unchanged" in err
    assert (mini / "site" / "notes" / "lo-note" / "index.html").read_bytes() == before


def test_theme_override_change_renders_every_page_again(mini):
    write(mini / "overrides" / "main.html", '{% extends "base.html" %}\n')  # the project's own, over the tool's
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("name: material", "name: material\n  custom_dir: overrides"),
                      encoding="utf-8")  # fmt: skip
    total = int(re.search(r"(\d+) pages rendered", build(mini)).group(1))
    template = mini / "overrides" / "main.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n{# a comment #}\n", encoding="utf-8")
    assert f"{total} pages rendered, 0 reused" in build(mini)


def test_the_incremental_builder_gives_what_plain_mkdocs_gives(mini, tmp_path):
    # The adapter runs MkDocs' own build steps itself: its site must be the one `mkdocs build` (with the hook) makes.
    build(mini)
    plain = plain_mkdocs(mini, tmp_path / "plain")
    assert differences(mini / "site", plain) == []


def rendered(report: str) -> tuple[int, int]:
    """(pages rendered, pages reused) from a build's report."""
    found = re.search(r"(\d+) pages rendered, (\d+) reused", report)
    assert found, report
    return int(found.group(1)), int(found.group(2))


def test_adding_a_source_renders_only_the_pages_it_changes(mini):
    total = sum(rendered(build(mini)))
    Edits(mini, random.Random(0)).add_source()
    # Its page, its note's, the bibliography, the list of notes and the home page: the other pages are kept.
    again, reused = rendered(build(mini))
    assert again + reused == total + 2  # the source's page and its note's are new
    assert again <= 5 < reused


def test_a_kept_page_whose_link_target_is_gone_warns_as_a_cold_build_does(mini):
    write(mini / "docs" / "guide.md", "# Guide\n\nA hand-written page.\n")
    note = mini / "content" / "notes" / "lo-note.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nSee [the guide](../guide.md).\n", encoding="utf-8")
    build(mini)
    assert 'href="../../guide/"' in (mini / "site" / "notes" / "lo-note" / "index.html").read_text(encoding="utf-8")
    (mini / "docs" / "guide.md").unlink()  # the note's Markdown is unchanged; what its link finds is not
    err = build(mini, expect=1)
    assert "contains a link '../guide.md', but the target 'guide.md' is not found" in err
