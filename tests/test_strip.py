"""Tests of boilerplate stripping (stage 2) on pages written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsrepair import BoilerplateModel, Config, DataFileError, apply_changes, strip_boilerplate
from newsrepair.strip import strip_boilerplate_and_explain

FIXTURES = Path(__file__).parent / "fixtures" / "boilerplate"
PAGE = (FIXTURES / "harbour_page.txt").read_text(encoding="utf-8")
CFG = Config()

P1 = ("The harbour council voted on Monday evening to rebuild the old wooden pier, which has "
      "been closed to the public since a storm damaged its eastern end two winters ago.")
P2 = ("Councillors approved the plan by seven votes to two after a long debate about the cost, "
      "which engineers now put at just over four million euros.")
HEADLINE = "Harbour Council Votes to Rebuild the Old Pier"


def kept_lines(text: str, config: Config = CFG) -> list[str]:
    out, _ = strip_boilerplate_and_explain(text, config)
    return [ln.strip() for ln in out.splitlines() if ln.strip()]


@pytest.fixture(scope="module")
def page_lines() -> list[str]:
    return kept_lines(PAGE)


# --- what must go ----------------------------------------------------------
@pytest.mark.parametrize("furniture", [
    "Skip to content", "Tuesday, March 3, 2026", "Log in", "Subscribe", "Home", "Sport",
    "HomeNewsHarbour Council Votes to Rebuild the Old Pier",
    "Share on Facebook", "Click to share on Twitter (Opens in new window)", "Advertisement",
    "[ad_1]", "Read more: Council publishes its budget for the coming year", "RELATED ARTICLES",
    "Marina fees to rise again next spring",
    "A local school wins a regional science prize for its work on the tides and the currents of the bay",
    "Leave a Reply", "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
    "Lost Password?", "Contact", "© 2026 Harbour Gazette. All rights reserved.", "Exit mobile version",
])
def test_furniture_goes(page_lines: list[str], furniture: str) -> None:
    assert furniture not in page_lines


def test_headline_kept_once(page_lines: list[str]) -> None:
    assert page_lines.count(HEADLINE) == 1
    assert page_lines[0] == HEADLINE


# --- what must stay --------------------------------------------------------
@pytest.mark.parametrize("content", [
    P1, P2, "Fishermen forced out", "He denied the charges.", "By Marta Lindqvist",
    "Photo: Jonas Berg / Harbour Gazette",
])
def test_content_stays(page_lines: list[str], content: str) -> None:
    assert content in page_lines


def test_caption_dropped_with_option() -> None:
    lines = kept_lines(PAGE, Config(keep_captions=False))
    assert "Photo: Jonas Berg / Harbour Gazette" not in lines
    assert P1 in lines


def test_clean_article_unchanged() -> None:
    text = f"{HEADLINE}\n\n{P1}\n\nFishermen forced out\n\n{P2}\n\nHe denied the charges.\n"
    out, changes = strip_boilerplate_and_explain(text, CFG)
    assert out == text and changes == []


@pytest.mark.parametrize("paragraphs", [
    ["Le conseil municipal a voté lundi soir la reconstruction de la vieille jetée en bois, fermée au public depuis une tempête.",
     "Les pêcheurs qui y amarraient leurs bateaux paient désormais des places au port de plaisance, de l'autre côté de la baie."],
    ["Der Stadtrat hat am Montagabend beschlossen, die alte Holzmole wieder aufzubauen, die seit einem Sturm gesperrt ist.",
     "Die Fischer, die dort früher festmachten, zahlen nun für Liegeplätze im Jachthafen auf der anderen Seite der Bucht."],
    ["Dewan kota memutuskan pada Senin malam untuk membangun kembali dermaga kayu tua yang ditutup sejak badai musim lalu.",
     "Para nelayan yang dulu menambatkan perahu di sana kini harus membayar tempat di marina di seberang teluk."],
])
def test_non_english_paragraphs_stay(paragraphs: list[str]) -> None:
    page = "Home\nNews\nSport\nLog in\n\nUn titre court\n\n" + "\n\n".join(paragraphs) + "\n\nShare on Facebook\nContact\n"
    lines = kept_lines(page)
    for p in paragraphs:
        assert p in lines
    assert "Share on Facebook" not in lines and "Contact" not in lines


# --- explanations ---------------------------------------------------------------
def test_changes_replay_and_are_explained() -> None:
    out, changes = strip_boilerplate_and_explain(PAGE, CFG)
    assert changes and apply_changes(PAGE, changes) == out
    for ch in changes:
        assert ch.stage == "boilerplate" and ch.after == "" and ch.reason
        assert PAGE[ch.start:ch.end] == ch.before
        assert 0.0 <= ch.confidence <= 1.0
    reasons = " | ".join(ch.reason for ch in changes)
    for expected in ("date widget", "share line", "after 'RELATED ARTICLES' heading",
                     "breadcrumb glued to the headline", "advertisement", "comment section"):
        assert expected in reasons


def test_repeated_headline_dropped() -> None:
    page = f"{HEADLINE}\nMenu\nSport\n\n{HEADLINE}\n\n{P1}\n\n{P2}\n"
    out, changes = strip_boilerplate_and_explain(page, CFG)
    assert out.count(HEADLINE) == 1 and P1 in out and P2 in out
    assert any(ch.reason == "repeated headline" for ch in changes)


def test_public_function_and_empty_input() -> None:
    assert strip_boilerplate("") == ""
    assert HEADLINE in strip_boilerplate(PAGE)


# --- the corpus model -----------------------------------------------------------
def _site_pages(n: int) -> list[str]:
    quote = "\u201cWe will not give up on this town,\u201d the mayor said in a statement on Friday."
    pages = []
    for i in range(n):
        body = (f"Story {i}: the council met for the {i}th time this year and agreed a new plan for "
                f"the streets near the river, which flood every spring.")
        extra = f"\n\n{quote}" if i % 4 == 0 else ""
        pages.append(f"Gazette Plus members area\n\nHeadline number {i}\n\n{body}{extra}\n\n"
                     "Our weekly digest lands every Sunday morning\nSend us a tip")
    return pages


def test_model_learns_furniture_and_keeps_shared_quote(tmp_path: Path) -> None:
    pages = _site_pages(40)
    model = BoilerplateModel.fit(pages)
    assert model.is_furniture("Send us a tip")
    assert model.is_furniture("Our weekly digest lands every Sunday morning")
    assert not model.is_furniture(pages[0].split("\n\n")[3])  # the quote in 10 of 40 pages
    out = strip_boilerplate(pages[0], model=model)
    assert "Send us a tip" not in out and "mayor said" in out
    path = tmp_path / "model.json"
    model.save(path)
    again = BoilerplateModel.load(path)
    assert again.is_furniture("Send us a tip") and len(again) == len(model)
    json.loads(path.read_text(encoding="utf-8"))  # readable JSON


@pytest.mark.parametrize("content", [
    "not json", "[]", json.dumps({"format": "other"}),
    json.dumps({"format": "newsrepair-boilerplate-model", "version": 1, "documents": 3,
                "min_docs": 2, "min_fraction": 0.1, "prose_fraction": 0.5, "lines": {"a": "x"}}),
])
def test_model_load_rejects_malformed(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError):
        BoilerplateModel.load(path)


def test_model_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError):
        BoilerplateModel.load(tmp_path / "nope.json")


def test_text_without_prose_is_left_alone_except_known_furniture() -> None:
    text = "Quarterly results\n\nRevenue up\nCosts down\n\nShare on Facebook\n"
    out, changes = strip_boilerplate_and_explain(text, CFG)
    assert "Quarterly results" in out and "Revenue up" in out and "Costs down" in out
    assert [ch.reason for ch in changes] == ["share line"]


def test_article_continues_after_inline_related_box() -> None:
    more = ("The engineers said the new pier would stand on steel piles driven deep into the bed "
            "of the harbour, so that the next storm would do far less damage to it.")
    page = (f"Home\nNews\n\n{HEADLINE}\n\n{P1}\n\n{P2}\n\nRelated articles\n"
            f"Marina fees to rise again next spring\n\n{more}\n\nMost read\nA school wins a prize\n")
    lines = kept_lines(page)
    assert more in lines and P1 in lines
    assert "Marina fees to rise again next spring" not in lines and "A school wins a prize" not in lines


def test_comment_section_is_not_the_article() -> None:
    comment = ("I have lived by this harbour for forty years and I can tell you that nobody asked the "
               "people who actually use the pier what they wanted, which is typical of this council.")
    page = (f"{HEADLINE}\n\n{P1}\n\n{P2}\n\n3 Comments\nharbourwatcher says:\n{comment}\n"
            f"oldsalt says:\n{comment.replace('forty', 'fifty')}\n")
    lines = kept_lines(page)
    assert P1 in lines and P2 in lines and comment not in lines
