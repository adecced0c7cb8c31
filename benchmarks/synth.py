"""Write a synthetic research project of N notes, for benchmarks.

    .venv/bin/python benchmarks/synth.py N OUTDIR [--seed 1]

OUTDIR gets a complete project in the shape of `tests/fixtures/mini`, at scale:

- `mkdocs.yml`: the repository's, without mkdocstrings, its reference pages
  and the authoring guide; its `research-site` plugin (and the theme overrides
  it carries) comes from the `build_scripts` package on the Python path;
- `docs/`: the stylesheet and script the repository's `mkdocs.yml` names;
- `content/`: a home page, 4 topic notes declaring the facts (with some
  `[[fact:ID]]` embeds), and N notes of ~400 words, each with exactly 5
  `[@key, p. NN]` citations, 2-3 cross-references to existing pages and 2-4
  claims, each quoting a few words of the note's main source, mostly with the
  paragraph as locator; about 15 % of the facts are made to disagree across
  sources; assessments and categories declare their positions;
- `bib/library.bib`: 2*N entries of mixed types (article, book, edited book,
  incollection with crossref, inproceedings, online, techreport, thesis and
  phdthesis),
  with `@string` journal macros, month macros, `#` concatenation, LaTeX
  accents, DOIs, pages and some abstracts; the N entries that are a note's
  main source name an archived text (`file = {texts/KEY.txt}`, 5-9 paragraphs
  in `bib/texts/`) that the claims' quotations are checked against.

Everything comes from `random.Random(seed)`: the same N and seed give
byte-identical files. The result passes `python -m build_scripts --strict check`.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from synth_config import Dumper, copy_assets, site_config
from synth_words import (
    ADJS,
    ASSESSMENTS,
    CATEGORIES,
    CONNECTORS,
    CORPORATE,
    DECADES,
    EVENTS,
    FIRST_NAMES,
    HEADINGS,
    INSTITUTIONS,
    JOURNALS,
    MONTH_NAMES,
    MONTHS,
    NOUNS,
    PLURALS,
    PPS,
    PUBLISHERS,
    REGIONS,
    SUBJECTS,
    SURNAMES,
    TITLE_HEADS,
    TITLE_TAILS,
    TOPICS,
    UNIVERSITIES,
    VERBS,
    VPS,
)

REPO = Path(__file__).resolve().parent.parent

# -- the model of the corpus -----------------------------------------------------------


@dataclass
class Fact:
    """A fact to declare in a topic note, with the values its claims will give."""

    id: str
    topic: str
    label: str
    kind: str
    unit: str = ""
    time: str = ""
    series: str = ""
    disputed: bool = False
    truth: object = None
    alt: object = None
    claims: int = 0
    alt_given: bool = False


@dataclass
class Entry:
    """A BibTeX entry."""

    key: str
    type: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    title: str = ""


class Corpus:
    """Builds the whole project from one random generator, in a fixed order."""

    def __init__(self, n: int, seed: int):
        self.n, self.rng = n, random.Random(seed)
        self.entries: list[Entry] = []
        self.facts: list[Fact] = []
        self.texts: dict[str, list[str]] = {}  # archived text of a source: its paragraphs
        self.notes: list[tuple[str, str]] = []  # (id, path relative to content/)

    # -- prose ---------------------------------------------------------------------

    def np(self, subject: bool = False) -> str:
        """A noun phrase; a subject is singular, so that the verbs agree."""
        r = self.rng
        if subject or r.random() < 0.7:
            return f"the {r.choice(ADJS)} {r.choice(NOUNS)}"
        return f"{r.choice(ADJS)} {r.choice(PLURALS)}"

    def clause(self) -> str:
        r = self.rng
        vp = r.choice(VPS).replace("{np}", self.np(), 1)
        pp = r.choice(PPS).format(
            decade=r.choice(DECADES), region=r.choice(REGIONS), event=r.choice(EVENTS), np=self.np()
        )
        return f"{self.np(subject=True)} {vp} {pp}"

    def sentence(self, cite: str = "") -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.45:
            text = f"{r.choice(SUBJECTS)} {r.choice(VERBS)} that {self.clause()}"
        elif roll < 0.75:
            text = f"{r.choice(CONNECTORS)} {self.clause()}"
        else:
            text = f"{self.clause()}, while {self.clause()}"
        text = text[0].upper() + text[1:]
        return f"{text} {cite}." if cite else f"{text}."

    def words(self, count: int, cite: str = "") -> str:
        """Sentences of about `count` words; `cite` goes inside the last one."""
        out, total = [], 0
        while total < count:
            s = self.sentence()
            out.append(s)
            total += len(s.split())
        if cite:
            out[-1] = f"{out[-1][:-1]} {cite}."
        return " ".join(out)

    def title(self) -> str:
        r = self.rng
        tail = r.choice(TITLE_TAILS).format(
            Adj=r.choice(ADJS).capitalize(),
            Noun=r.choice(NOUNS).capitalize(),
            Region="{" + r.choice(REGIONS) + "}",
            Decade=r.choice(DECADES),
            Event=r.choice(EVENTS),
            Noun2=r.choice(NOUNS).capitalize(),
        )
        return f"{r.choice(TITLE_HEADS)}: {tail}"

    def claim_locator(self, para: int) -> str:
        """Mostly the paragraph the quotation is in (checked); else a page or section (not compared)."""
        r = self.rng
        roll = r.random()
        if roll < 0.7:
            return f"para. {para}"
        if roll < 0.85:
            return f"p. {r.randint(1, 320)}"
        if roll < 0.93:
            start = r.randint(1, 300)
            return f"pp. {start}–{start + r.randint(1, 6)}"
        return f"sec. {r.randint(1, 9)}.{r.randint(1, 5)}"

    def archived_text(self) -> list[str]:
        """The paragraphs of a source's archived text (a note's main source has one)."""
        r = self.rng
        return [" ".join(self.sentence() for _ in range(r.randint(2, 4))) for _ in range(r.randint(5, 9))]

    def quotation(self, key: str) -> tuple[int, str]:
        """A run of 4-10 words from a paragraph of `key`'s archived text: (paragraph number, words)."""
        r = self.rng
        paragraphs = self.texts[key]
        para = r.randrange(len(paragraphs))
        words = paragraphs[para].split()
        size = r.randint(4, min(10, len(words)))
        start = r.randint(0, len(words) - size)
        return para + 1, " ".join(words[start : start + size])

    # -- library -----------------------------------------------------------------

    def make_library(self) -> None:
        r = self.rng
        total = 2 * self.n
        used: dict[str, int] = {}
        kinds = (
            ["article"] * 34
            + ["book"] * 8
            + ["editedbook"] * 6
            + ["incollection"] * 16
            + ["inproceedings"] * 10
            + ["online"] * 10
            + ["techreport"] * 8
            + ["thesis"] * 8
        )
        plan = [r.choice(kinds) for _ in range(total)]
        if "incollection" in plan:  # a parent volume after the chapters, as BibTeX wants it
            plan[-1] = "editedbook"
        parents = [i for i, k in enumerate(plan) if k == "editedbook"]
        heads = []
        for kind in plan:
            year = r.randint(1995, 2023)
            corporate = kind in ("online", "techreport") and r.random() < 0.3
            first = r.choice(CORPORATE) if corporate else r.choice(SURNAMES)
            stem = first[1] if kind != "editedbook" else "volume"
            used[f"{stem}{year}"] = used.get(f"{stem}{year}", 0) + 1
            count = used[f"{stem}{year}"]
            heads.append((f"{stem}{year}" + ("" if count == 1 else _suffix(count - 2)), year, first, corporate))
        keys = [h[0] for h in heads]
        for i, (key, year, first, corporate) in enumerate(heads):
            entry = self.entry(key, plan[i], i, year, first, corporate, keys, parents)
            if i < self.n:  # the main source of note i: its text is archived, and its claims quote it
                self.texts[key] = self.archived_text()
                entry.fields.append(("file", f"{{texts/{key}.txt}}"))
            self.entries.append(entry)

    def entry(
        self,
        key: str,
        kind: str,
        i: int,
        year: int,
        first: tuple[str, str],
        corporate: bool,
        keys: list[str],
        parents: list[int],
    ) -> Entry:
        r = self.rng
        title = self.title()
        f: list[tuple[str, str]] = []
        if corporate:
            authors = "{" + first[0] + "}"
        else:
            more = [
                f"{tex}, {r.choice(FIRST_NAMES)}"
                for tex, _ in (r.choice(SURNAMES) for _ in range(r.choice([0, 0, 0, 1, 1, 2])))
            ]
            authors = " and ".join([f"{first[0]}, {r.choice(FIRST_NAMES)}", *more])
        names, y = "{" + authors + "}", "{" + str(year) + "}"
        braced = "{" + title + "}"
        if kind == "article":
            macro = r.choice(JOURNALS)[0]
            start = r.randint(1, 400)
            f += [
                ("author", names),
                ("title", braced),
                ("journal", macro),
                ("year", y),
                ("month", r.choice(MONTHS)),
                ("volume", f"{{{r.randint(1, 60)}}}"),
                ("number", f"{{{r.randint(1, 12)}}}"),
                ("pages", f"{{{start}--{start + r.randint(8, 30)}}}"),
                ("doi", f"{{10.5555/{macro}.{year}.{i:05d}}}"),
            ]
        elif kind in ("book", "editedbook"):
            publisher, address = r.choice(PUBLISHERS)
            f += [("editor" if kind == "editedbook" else "author", names), ("title", braced)]
            if kind == "editedbook":  # classic BibTeX: chapters crossref'ing it inherit the booktitle
                f.append(("booktitle", braced))
            f += [
                ("publisher", f"{{{publisher}}}"),
                ("address", f"{{{address}}}"),
                ("year", y),
                ("isbn", f"{{978-0-{r.randint(10000, 99999)}-{r.randint(100, 999)}-{r.randint(0, 9)}}}"),
            ]
        elif kind == "incollection":
            later = [p for p in parents if p > i] or parents
            start = r.randint(1, 300)
            f += [
                ("author", names),
                ("title", braced),
                ("crossref", f"{{{keys[r.choice(later)]}}}"),
                ("chapter", f"{{{r.randint(1, 14)}}}"),
                ("pages", f"{{{start}--{start + r.randint(10, 40)}}}"),
            ]
        elif kind == "inproceedings":
            start = r.randint(1, 200)
            f += [
                ("author", names),
                ("title", braced),
                ("booktitle", f'procisa # " {year}"'),
                ("year", y),
                ("month", r.choice(MONTHS)),
                ("pages", f"{{{start}--{start + r.randint(6, 14)}}}"),
                ("doi", f"{{10.5555/isa.{year}.{i:05d}}}"),
            ]
        elif kind == "online":
            f += [
                ("author", names),
                ("title", braced),
                ("year", y),
                ("url", f"{{https://example.org/{year}/{key}}}"),
                ("urldate", f"{{2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}}}"),
                ("organization", f"{{{r.choice(INSTITUTIONS)}}}"),
            ]
        elif kind == "techreport":
            f += [
                ("author", names),
                ("title", braced),
                ("institution", f"{{{r.choice(INSTITUTIONS)}}}"),
                ("type", "{Research Report}"),
                ("number", f"{{RR-{r.randint(100, 9999)}}}"),
                ("year", y),
                ("month", r.choice(MONTHS)),
                ("url", f"{{https://example.org/reports/{key}}}"),
            ]
        elif r.random() < 0.5:  # thesis, the biblatex way
            f += [
                ("author", names),
                ("title", braced),
                ("type", "{PhD thesis}"),
                ("institution", f"{{{r.choice(UNIVERSITIES)}}}"),
                ("year", y),
            ]
        else:  # thesis, the BibTeX way
            kind = "phdthesis"
            f += [("author", names), ("title", braced), ("school", f"{{{r.choice(UNIVERSITIES)}}}"), ("year", y)]
        if kind != "incollection" and r.random() < 0.35:
            f.append(("abstract", "{" + self.words(45) + "}"))
        f.append(("langid", "{english}"))
        return Entry(key, "book" if kind == "editedbook" else kind, f, title.replace("{", "").replace("}", ""))

    def bibtex(self) -> str:
        out = ["% Synthetic library written by benchmarks/synth.py.", ""]
        for macro, name in JOURNALS:
            out.append(f"@string{{{macro} = {{{name}}}}}")
        out += [
            "@string{procisa = {Proceedings of the Annual Convention of the International Studies Association}}",
            "",
        ]
        for e in self.entries:
            width = max(len(k) for k, _ in e.fields)
            body = ",\n".join(f"  {k.ljust(width)} = {v}" for k, v in e.fields)
            out += [f"@{e.type}{{{e.key},", body, "}", ""]
        return "\n".join(out)

    # -- facts ---------------------------------------------------------------------

    def make_facts(self) -> None:
        r = self.rng
        count = max(12, (3 * self.n) // 4)
        per_topic = [count // 4 + (1 if t < count % 4 else 0) for t in range(4)]
        for t, (topic, _, _, things) in enumerate(TOPICS):
            made = 0
            serial = 0
            while made < per_topic[t]:
                serial += 1
                thing = r.choice(things)
                slug = thing.replace(" ", "-").lower()
                family = r.choices(
                    ["usd", "percent", "km", "date", "assessment", "category"], weights=[40, 15, 8, 15, 14, 8]
                )[0]
                if family == "usd":  # a series of yearly values, drawn as a chart
                    first = r.randint(1995, 2016)
                    for year in range(first, first + r.randint(3, 6)):
                        if made == per_topic[t]:
                            break
                        self.facts.append(
                            self.fact(
                                f"{topic}-{slug}-{serial}-{year}",
                                topic,
                                f"Bilateral {thing} flows",
                                "number",
                                "USD",
                                str(year),
                                f"{topic}-{slug}-{serial}",
                            )
                        )
                        made += 1
                    continue
                if family == "percent":
                    fact = self.fact(
                        f"{topic}-{slug}-share-{serial}",
                        topic,
                        f"Share of {thing} in the total",
                        "number",
                        "percent",
                        str(r.randint(2000, 2023)),
                    )
                elif family == "km":
                    fact = self.fact(
                        f"{topic}-{slug}-length-{serial}", topic, f"Length of the {thing} link", "number", "km"
                    )
                elif family == "date":
                    fact = self.fact(
                        f"{topic}-{slug}-agreement-{serial}", topic, f"Signing of the {thing} agreement", "date"
                    )
                elif family == "assessment":
                    fact = self.fact(
                        f"{topic}-{slug}-trend-{serial}", topic, f"Direction of {thing} cooperation", "assessment"
                    )
                else:
                    fact = self.fact(
                        f"{topic}-{slug}-driver-{serial}", topic, f"What drives {thing} cooperation", "category"
                    )
                self.facts.append(fact)
                made += 1
        for fact in r.sample(self.facts, round(0.15 * len(self.facts))):
            fact.disputed = True  # its claims after the first may give another value

    def fact(
        self, fid: str, topic: str, label: str, kind: str, unit: str = "", time: str = "", series: str = ""
    ) -> Fact:
        r = self.rng
        fact = Fact(fid, topic, label, kind, unit, time, series)
        if unit == "USD":
            fact.truth = round(r.lognormvariate(2.5, 1.0) + 0.5, 1)
            fact.alt = round(fact.truth * r.uniform(1.35, 1.8), 1)
        elif unit == "percent":
            fact.truth = round(r.uniform(3, 80), 1)
            fact.alt = round(fact.truth + r.uniform(12, 18), 1)
        elif unit == "km":
            fact.truth = r.randint(300, 9000)
            fact.alt = int(fact.truth * r.uniform(1.35, 1.7))
        elif kind == "date":
            fact.truth = (r.randint(1992, 2020), r.randint(1, 12), r.randint(1, 28))
            fact.alt = (fact.truth[0] + r.choice([-3, -2, 2, 3]), r.randint(1, 12), r.randint(1, 28))
        else:
            options = ASSESSMENTS if kind == "assessment" else CATEGORIES
            first, second = r.sample(range(len(options)), 2)
            fact.truth, fact.alt = options[first], options[second]
        return fact

    def value(self, fact: Fact, disputing: bool) -> tuple[str, str]:
        """A claim's value (written in one of several agreeing ways) and its position."""
        r = self.rng
        v = fact.alt if disputing else fact.truth
        if fact.unit == "USD":
            forms = [f"US${v} billion", f"USD {v} bn", f"{v} billion", f"${v} bn", f"US${v * 1000:,.0f} million"]
            if v >= 10:
                forms.append(f"about US${round(v)} billion")
            return r.choice(forms), ""
        if fact.unit == "percent":
            forms = [f"{v}%", f"{v} percent", f"{v} per cent"]
            if v >= 10:
                forms.append(f"about {round(v)} percent")
            return r.choice(forms), ""
        if fact.unit == "km":
            return r.choice([f"{v:,} km", f"{v} km", f"{v:,} kilometres", f"about {round(v, -2):,} km"]), ""
        if fact.kind == "date":
            y, m, d = v
            return r.choice(
                [
                    str(y),
                    f"{MONTH_NAMES[m - 1]} {y}",
                    f"{d} {MONTH_NAMES[m - 1]} {y}",
                    f"{y}-{m:02d}-{d:02d}",
                    f"in {MONTH_NAMES[m - 1]} {y}",
                ]
            ), ""
        position, phrases = v
        return r.choice(phrases), position

    # -- notes ---------------------------------------------------------------------

    def make_notes(self, content: Path) -> None:
        r = self.rng
        by_topic: dict[str, list[Fact]] = {t[0]: [] for t in TOPICS}
        for fact in self.facts:
            by_topic[fact.topic].append(fact)
        ids = [f"{self.entries[i].key}-{r.choice(TOPICS)[0]}" for i in range(self.n)]
        self.notes = [(nid, f"notes/{nid}.md") for nid in ids]
        for i, note_id in enumerate(ids):
            main = self.entries[i]
            topics = [note_id.rsplit("-", 1)[1]]
            if r.random() < 0.3:
                extra = r.choice(TOPICS)[0]
                if extra not in topics:
                    topics.append(extra)
            claims = []
            pool = [f for t in topics for f in by_topic[t]]
            for fact in r.sample(pool, min(len(pool), r.randint(2, 4))):
                disputing = fact.disputed and fact.claims > 0 and (not fact.alt_given or r.random() < 0.4)
                fact.alt_given |= disputing
                fact.claims += 1
                val, position = self.value(fact, disputing)
                para, quote = self.quotation(main.key)
                item = {"fact": fact.id, "value": val, "locator": self.claim_locator(para)}
                if position:
                    item["position"] = position
                item["quote"] = quote
                if r.random() < 0.004:
                    item["suspect"] = "the figure does not match the table it cites"
                claims.append(item)
            others = [e.key for e in r.sample(self.entries, 4)]
            body = self.note_body(main.key, others, note_id, ids, topics)
            meta = [
                f"id: {note_id}",
                f"title: {_q('Notes on ' + main.title)}",
                f"sources: [{main.key}]",
                f"topics: [{', '.join(topics)}]",
                f"summary: {_q(self.sentence())}",
            ]
            if claims:
                meta.append("claims:")
                meta += ["  - {" + ", ".join(f"{k}: {_q(v)}" for k, v in c.items()) + "}" for c in claims]
            _write(content / "notes" / f"{note_id}.md", "---\n" + "\n".join(meta) + "\n---\n" + body)

    def note_body(self, main: str, others: list[str], note_id: str, ids: list[str], topics: list[str]) -> str:
        r = self.rng
        cites = [f"[@{main}, {self.cite_locator()}]"] + [f"[@{k}, {self.cite_locator()}]" for k in others]
        refs = [f"[[{topics[0]}]]" if r.random() < 0.5 else f"[[{topics[0]}#{_slug(r.choice(HEADINGS))}]]"]
        for _ in range(r.randint(1, 2)):
            target = r.choice(ids)
            if target != note_id:
                refs.append(f"[[{target}]]" if r.random() < 0.5 else f"[[{target}|a related note]]")
        paragraphs: list[list[str]] = [[] for _ in range(4)]
        words = 0
        slots = list(range(4))
        for p in slots:
            while words < (p + 1) * 100:
                s = self.sentence()
                paragraphs[p].append(s)
                words += len(s.split())
        flat = [(p, j) for p in slots for j in range(len(paragraphs[p]))]
        for cite, (p, j) in zip(cites, sorted(r.sample(flat, len(cites))), strict=False):
            paragraphs[p][j] = paragraphs[p][j][:-1] + f" {cite}."
        for ref in refs:
            p = r.randrange(4)
            paragraphs[p].append(
                r.choice(
                    ["See also {}.", "Compare {}.", "The point is taken up in {}.", "For the wider picture, see {}."]
                ).format(ref)
            )
        return "\n\n".join(_wrap(" ".join(p)) for p in paragraphs) + "\n"

    def cite_locator(self) -> str:
        r = self.rng
        start = r.randint(2, 300)
        return f"p. {start}" if r.random() < 0.85 else f"pp. {start}–{start + r.randint(1, 5)}"

    def make_topics(self, content: Path) -> None:
        r = self.rng
        for order, (topic, title, summary, _) in enumerate(TOPICS, 1):
            facts = [f for f in self.facts if f.topic == topic]
            lines = [
                "---",
                f"id: {topic}",
                "kind: topic",
                f"title: {_q(title)}",
                f"order: {order}",
                f"summary: {_q(summary)}",
                f"topics: [{topic}]",
                "facts:",
            ]
            for f in facts:
                bits = [f"id: {f.id}", f"label: {_q(f.label)}", f"kind: {f.kind}"]
                bits += [f"unit: {f.unit}"] if f.unit else []
                bits += [f"time: {_q(f.time)}"] if f.time else []
                bits += [f"series: {f.series}"] if f.series else []
                if f.kind in ("assessment", "category"):
                    options = ASSESSMENTS if f.kind == "assessment" else CATEGORIES
                    glosses = ", ".join(f"{name}: {_q(forms[0])}" for name, forms in options)
                    bits.append(f"positions: {{{glosses}}}")
                if f.disputed and r.random() < 0.25:
                    bits.append(f"resolution: {_q(self.sentence())}")
                lines.append("  - {" + ", ".join(bits) + "}")
            lines.append("---")
            embeds = r.sample(facts, min(len(facts), 8 + self.n // 50, 60))
            cites = [e.key for e in r.sample(self.entries, 3)]
            body = [f"## {HEADINGS[0]}", "", _wrap(self.words(80, f"[@{cites[0]}, p. {r.randint(2, 90)}]")), ""]
            body += [f"## {HEADINGS[1]}", ""]
            for chunk in range(0, len(embeds), 4):
                sentences = [
                    f"{f.label} ({f.time or 'all years'}): [[fact:{f.id}]]." for f in embeds[chunk : chunk + 4]
                ]
                body += [_wrap(" ".join(sentences) + " " + self.sentence()), ""]
            body += [
                f"## {HEADINGS[2]}",
                "",
                _wrap(self.words(80, f"[@{cites[1]}, p. {r.randint(2, 90)}; @{cites[2]}, p. {r.randint(2, 90)}]")),
                "",
            ]
            others = [t[0] for t in TOPICS if t[0] != topic]
            body += [
                f"## {HEADINGS[3]}",
                "",
                _wrap(
                    f"{self.words(50)} See [[{r.choice(others)}]] and "
                    f"[[{r.choice(others)}#{_slug(HEADINGS[2])}|its judgements]]."
                ),
                "",
            ]
            _write(content / "topics" / f"{topic}.md", "\n".join(lines) + "\n" + "\n".join(body))

    def make_home(self, content: Path) -> None:
        links = ", ".join(f"[[{t[0]}]]" for t in TOPICS)
        text = (
            f"---\nid: index\nkind: home\ntitle: {_q('Synthetic study')}\nsummary: {_q(self.sentence())}\n---\n"
            f"{_wrap(self.words(60))}\n\nFour topics: {links}.\n"
        )
        _write(content / "index.md", text)


# -- helpers ------------------------------------------------------------------------


def _suffix(i: int) -> str:
    """a, b, ..., z, aa, ab, ...: the disambiguating letters of a citekey."""
    letters = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        letters = chr(97 + rem) + letters
    return letters


def _q(value: object) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(str(value), ensure_ascii=False)


def _slug(text: str) -> str:
    return "-".join(text.lower().split())


def _wrap(text: str, width: int = 100) -> str:
    """Hard-wrap prose at spaces, never inside a [@...] citation or [[...]] reference."""
    lines, line, depth = [], "", 0
    for word in text.split(" "):
        if line and depth == 0 and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
        depth += word.count("[") - word.count("]")
    lines.append(line)
    return "\n".join(lines)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def generate(n: int, out: Path, seed: int = 1, code_root: Path = REPO) -> dict:
    """Write the project into `out` (replacing its content/, bib/ and docs/); returns counts."""
    if n < 1:
        raise ValueError("N must be at least 1")
    for sub in ("content", "bib", "docs"):
        shutil.rmtree(out / sub, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(n, seed)
    corpus.make_library()
    corpus.make_facts()
    corpus.make_notes(out / "content")
    corpus.make_topics(out / "content")
    corpus.make_home(out / "content")
    _write(out / "bib" / "library.bib", corpus.bibtex())
    for key, paragraphs in corpus.texts.items():
        _write(out / "bib" / "texts" / f"{key}.txt", "\n\n".join(paragraphs) + "\n")
    config = site_config(out, n, seed, code_root)
    text = yaml.dump(config, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    _write(out / "mkdocs.yml", "# Written by benchmarks/synth.py; regenerate rather than edit.\n" + text)
    copy_assets(config, out)
    disputed = sum(1 for f in corpus.facts if f.alt_given)
    return {
        "notes": n,
        "entries": len(corpus.entries),
        "facts": len(corpus.facts),
        "claims": sum(f.claims for f in corpus.facts),
        "disputed_facts": disputed,
        "topics": [(t[0], t[1]) for t in TOPICS],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="number of ordinary notes (the library gets 2*N entries)")
    parser.add_argument("outdir", type=Path, help="folder to write the project into")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args()
    stats = generate(args.n, args.outdir, args.seed)
    print(
        f"wrote {args.outdir}: {stats['notes']} notes, 4 topics, {stats['entries']} BibTeX entries, "
        f"{stats['facts']} facts, {stats['claims']} claims, {stats['disputed_facts']} facts with disagreeing claims"
    )


if __name__ == "__main__":
    main()
