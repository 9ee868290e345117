"""What a learner sees at 1280 px fits: code lines of at most 88 characters (none cut off with the file
browser open), and no markdown paragraph longer than about eight lines on screen (~110 characters a line)."""
import json
import math
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALL = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")) + sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb"))
MAX_CODE = 88
CHARS_PER_LINE, MAX_LINES = 110, 8


def cells(path, kind):
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == kind]


def math_width(tex):
    """Roughly how many characters an inline formula takes on screen: each command one glyph, no braces,
    sub- and superscript markers or spacing commands."""
    spacing = r"\\(?:[,;:!]|(?:q?quad|left|right|[bB]igg?|mathrm|text|[td]?frac|operatorname)(?![A-Za-z]))"
    tex = re.sub(spacing, "", tex)
    tex = re.sub(r"\\[A-Za-z]+", "x", tex)
    return len(re.sub(r"[{}_^\s]", "", tex)) + tex.count(" ") // 2


def visible_length(text):
    """The characters a paragraph shows once rendered: link texts without their addresses, no HTML tags,
    no emphasis markers, formulas at their rendered width."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: their text only
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\$([^$]+)\$", lambda m: "x" * math_width(m.group(1)), text)
    text = re.sub(r"[*_`]", "", text)
    return len(re.sub(r"\s+", " ", text).strip())


def paragraphs(markdown):
    """Prose paragraphs and list items; tables, display math, code blocks and headings are left out."""
    markdown = re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M)
    markdown = re.sub(r"\$\$.*?\$\$", "", markdown, flags=re.S)
    for block in re.split(r"\n\s*\n", markdown):
        lines = [l for l in block.splitlines() if l.strip() and not l.lstrip().startswith(("|", "#"))]
        item = []
        for line in lines:
            if re.match(r"\s*([-*+]|\d+\.)\s", line) and item:
                yield " ".join(item)
                item = []
            item.append(line.strip())
        if item:
            yield " ".join(item)


def screen_lines(paragraph):
    return math.ceil(visible_length(paragraph) / CHARS_PER_LINE)


def test_the_measures_measure_what_they_should():
    assert visible_length("[the contents](00-contents.ipynb)") == len("the contents")
    assert visible_length(r"$\partial L / \partial W_{dc}$") <= len("∂L / ∂W dc") + 2
    assert list(paragraphs("one\ntwo\n\n| a | b |\n|---|---|\n\n- x\n- y\n\n$$\na\n\nb\n$$")) == ["one two", "- x", "- y"]
    assert screen_lines("word " * 200) == math.ceil(999 / CHARS_PER_LINE)


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_code_lines_fit(path):
    long = [line for code in cells(path, "code") for line in code.splitlines() if len(line) > MAX_CODE]
    assert not long, f"{len(long)} code line(s) over {MAX_CODE} characters, e.g. {long[0]!r}"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_no_paragraph_longer_than_eight_screen_lines(path):
    long = [p for md in cells(path, "markdown") for p in paragraphs(md) if screen_lines(p) > MAX_LINES]
    assert not long, (f"{len(long)} paragraph(s) over {MAX_LINES} lines at {CHARS_PER_LINE} characters a line,"
                      f" e.g. {screen_lines(long[0])} lines: {long[0][:120]!r}")


HINT_INTRO = ('Each exercise is checked on six inputs; stuck? `helpers.exercises.hint("<name>")` gives the'
              ' next hint.')
LEARNER = [p for p in ALL if p.parent.name != "solutions"]


@pytest.mark.parametrize("path", LEARNER, ids=lambda p: p.name)
def test_hints_are_offered_one_way_everywhere(path):
    """One sentence in the Exercises intro names hint(); exercise cells end with the check call alone."""
    nb = json.loads(path.read_text())["cells"]
    checks = [("".join(c["source"]), k) for k, c in enumerate(nb)
              if c["cell_type"] == "code" and "helpers.exercises.check(" in "".join(c["source"])]
    for code, _ in checks:
        last = code.rstrip().splitlines()[-1]
        assert re.fullmatch(r'helpers\.exercises\.check\("[\w-]+", \w+\)', last), \
            f"an exercise cell must end with only helpers.exercises.check(name, fn): {last!r}"
        assert "hint(" not in code, "hints are named once, in the Exercises intro"
    heads = [k for k, c in enumerate(nb) if c["cell_type"] == "markdown" and "## Exercises" in "".join(c["source"])]
    if heads and any(k > heads[0] for _, k in checks):
        intro = "".join(nb[heads[0]]["source"]).split("## Exercises", 1)[1]
        assert HINT_INTRO in intro, "the Exercises intro must say, once: " + HINT_INTRO
