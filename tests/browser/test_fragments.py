"""A generated text-fragment link, opened in chromium, scrolls to the passage and highlights it.

An HTML copy of an archived text is served on 127.0.0.1 (standing in for the source's own
page); the link is made by `fragments.passage_link` from where the matcher found a quotation.
The highlight is seen as a person would see it: `::target-text` is painted red, and the
paragraph's screenshot must hold red pixels.
"""

from __future__ import annotations

import base64
import html

import pytest

from build_scripts.library.archive import ArchivedText, find, paragraphs_of
from build_scripts.render import fragments

from ..conftest import ROOT

pytestmark = pytest.mark.browser

STYLE = (
    "body { font: 16px/1.6 sans-serif; max-width: 40em; margin: 2em auto; } "
    "::target-text { background-color: rgb(255, 0, 0); color: rgb(255, 0, 0); }"
)

COUNT_RED = """async (data) => {
  const image = new Image();
  image.src = "data:image/png;base64," + data;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, image.width, image.height).data;
  let red = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i] > 200 && pixels[i + 1] < 60 && pixels[i + 2] < 60) red++;
  }
  return red;
}"""


@pytest.fixture(scope="module")
def archive_copy(tmp_path_factory, serve):
    """(base URL, archived text): the aerospace article's archived text as a long HTML page."""
    text = ArchivedText(
        "aerospace-partnership",
        "bib/texts/aerospace-partnership.txt",
        paragraphs_of((ROOT / "bib" / "texts" / "aerospace-partnership.txt").read_text(encoding="utf-8")),
    )
    body = "".join(f'<p id="p{i}">{html.escape(p)}</p>' for i, p in enumerate(text.paragraphs, start=1))
    folder = tmp_path_factory.mktemp("archive-copy")
    (folder / "article.html").write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Archived copy</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>",
        encoding="utf-8",
    )
    return serve(folder), text


@pytest.mark.parametrize("words", [slice(3, 9), slice(2, 16)], ids=["whole-passage", "start-and-end"])
@pytest.mark.example  # a long archived text of the example project
def test_a_text_fragment_link_scrolls_to_and_highlights_the_passage(open_page, archive_copy, artifacts, words):
    base, text = archive_copy
    number = len(text.paragraphs) - 3  # far down the page: the browser must scroll to it
    quote = " ".join(text.paragraphs[number - 1].split()[words])
    [passage] = [p for p in find(text, quote) if p.paragraph == number]
    url = fragments.passage_link(f"{base}/article.html", passage)
    assert ":~:text=" in url

    page, console = open_page(base)
    page.goto(url)
    page.wait_for_function("() => window.scrollY > 0")
    paragraph = page.locator(f"#p{number}")
    box, height = paragraph.bounding_box(), page.viewport_size["height"]
    assert box is not None, "the passage is not in view"
    assert box["y"] < height, "the passage is not in view"
    assert box["y"] + box["height"] > 0, "the passage is not in view"
    shot = paragraph.screenshot(path=str(artifacts / f"text-fragment-{words.start}-{words.stop}.png"))
    red = page.evaluate(COUNT_RED, base64.b64encode(shot).decode("ascii"))
    assert red > 200, "the passage is not highlighted"
    # Another paragraph of the page is not highlighted.
    other = page.locator(f"#p{number - 1}").screenshot()
    assert page.evaluate(COUNT_RED, base64.b64encode(other).decode("ascii")) == 0
    console.assert_clean()
