"""Reading a spinner's swaps from its output alone (``newsrepair.spin.decipher``,
``newsrepair learn --unpaired``), on a small farm of articles made up for these tests:
which of the shipped lexicons' swaps it confirms, how the lexicon it writes loads, and
the command line."""

from __future__ import annotations

import random
import re

import pytest

import newsrepair as nr
from newsrepair.errors import InputError
from newsrepair.spin import learn as learn_module
from newsrepair.spin.decipher import decipher
from newsrepair.spin.lexicon import DECIPHERED_SOURCE, Lexicon, names_the_spinner, parse_user_tsv

WHO = ["the mayor", "a council spokesman", "the finance minister", "police", "the union leader", "residents"]
THING = ["bridge", "new clinic", "rail line", "school", "power station", "harbour wall", "market"]
PLACE = ["north of the city", "coastal towns", "the valley", "rural districts", "the old port"]
SENTENCES = [
    "{who} said the {thing} would open before the end of the year.",
    "Many people in {place} said they had waited years for the {thing}.",
    "Energy prices rose again this month, {who} said on Tuesday.",
    "{who} said about {n} people attended the meeting at the {thing}.",
    "The plan will cut energy use by a fifth, according to {who}.",
    "Some people said the {thing} should be built in {place} instead.",
    "Officials said the cost of the {thing} had doubled since the plan was agreed.",
]
SWAPS = {"said": "mentioned", "people": "folks", "energy": "vitality"}


def _article(rng: random.Random) -> str:
    out = []
    for _ in range(12):
        s = rng.choice(SENTENCES).format(who=rng.choice(WHO), thing=rng.choice(THING), place=rng.choice(PLACE),
                                         n=rng.randint(20, 900))
        out.append(s[0].upper() + s[1:])
    return " ".join(out)


def _spin(text: str) -> str:
    """A spinner that writes its substitute for every original of SWAPS, keeping capitals."""
    def swap(m: re.Match) -> str:
        sub = SWAPS[m.group().lower()]
        return sub.capitalize() if m.group()[0].isupper() else sub
    return re.sub(r"\b(?:said|people|energy)\b", swap, text, flags=re.IGNORECASE)


@pytest.fixture(scope="module")
def farm() -> tuple[list[str], list[str]]:
    rng = random.Random(7)
    clean = [_article(rng) for _ in range(120)]
    return clean, [_spin(t) for t in clean]


@pytest.fixture(scope="module")
def model():
    return nr.get_repairer().spin_model


def test_the_spinner_s_swaps_are_found_in_its_output_and_not_in_clean_text(farm, model):
    clean, spun = farm
    found = {(d.spun, d.original): d for d in decipher(spun, model.lexicon, model.lm)}
    for original, sub in SWAPS.items():
        d = found[(sub, original)]
        assert d.over > 0 and d.under > 0 and d.count >= 3
        assert d.weight > 0.5  # the original was replaced wherever it stood
    confirmed = {(d.spun, d.original) for d in decipher(clean, model.lexicon, model.lm)}
    assert not confirmed & {(sub, original) for original, sub in SWAPS.items()}


def test_decipher_refuses_what_is_not_articles(model):
    with pytest.raises(InputError, match="iterable of texts"):
        decipher("one text", model.lexicon, model.lm)
    with pytest.raises(InputError, match="article 1 is not a str"):
        decipher(["a text", b"bytes"], model.lexicon, model.lm)
    assert decipher([], model.lexicon, model.lm) == []


def test_a_confirmed_pair_takes_the_higher_weight_and_the_deciphered_source():
    lex = Lexicon()
    lex.add("vitality", "energy", 0.5, "curated")
    lex.add("vitality", "energy", 0.3, DECIPHERED_SOURCE + ":9")
    assert lex.candidates("vitality") == {"energy": (0.5, "deciphered:9")}
    lex.add("folks", "people", 0.25, "curated")
    lex.add("folks", "people", 0.9, DECIPHERED_SOURCE + ":4")
    assert lex.candidates("folks") == {"people": (0.9, "deciphered:4")}


def test_a_file_of_deciphered_pairs_does_not_name_the_spinner(tmp_path):
    deciphered = tmp_path / "farm.tsv"
    deciphered.write_text("# learned\nfolks\tpeople\t0.900\tdeciphered:4\n", encoding="utf-8")
    mine = tmp_path / "mine.tsv"
    mine.write_text("folks\tpeople\t0.900\tuser\n", encoding="utf-8")
    groups = tmp_path / "groups.txt"
    groups.write_text("people|folks\n", encoding="utf-8")
    assert not names_the_spinner([str(deciphered)])
    assert names_the_spinner([str(mine)]) and names_the_spinner([str(groups)])
    assert names_the_spinner([str(deciphered), str(groups)])
    assert names_the_spinner([str(tmp_path / "missing.tsv")])  # loading it will say why
    assert [row[3] for row in parse_user_tsv(deciphered.read_text(encoding="utf-8"), "farm.tsv")] == ["deciphered:4"]


def test_learn_unpaired_writes_a_lexicon_that_keeps_the_hand_written_pairs(farm, tmp_path, capsys):
    _clean, spun = farm
    src = tmp_path / "farm"
    src.mkdir()
    for k, text in enumerate(spun):
        (src / f"{k:03d}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "farm.tsv"
    assert learn_module.main(["--unpaired", str(src), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "swaps confirmed by 120 articles" in err and "warning: 120 articles only" not in err
    rows = {(s, o): src_ for s, o, _w, src_ in parse_user_tsv(out.read_text(encoding="utf-8"), "farm.tsv")}
    assert rows[("mentioned", "said")].startswith("deciphered:")
    # as --spinner-dict, the shipped lexicons stay: hand-written pairs the farm never
    # confirmed ("brand new" -> "new", "for the reason that" -> "since") are still restored
    text = ("Folks in the harbour district mentioned on Monday that the brand new power station would cut "
            "vitality bills by a fifth. The council mentioned the plant had been delayed for the reason that "
            "the contractor went bust, and officials mentioned folks would be consulted before work resumed. "
            "Residents mentioned they had heard such promises before. One shop owner mentioned the vitality "
            "costs of her bakery had doubled in two years, and that folks on the estate were struggling. "
            "The mayor mentioned the station would open next spring, and that the new vitality tariff "
            "would follow soon after. Folks at the meeting mentioned they would wait and see what happened "
            "to their bills before they welcomed the brand new plant.")
    repaired = nr.unspin(text, config=nr.Config(spinner_dictionaries=[str(out)]))
    assert repaired.startswith("People in the harbour district said on Monday that the new power station "
                               "would cut energy bills")
    assert "delayed since the contractor" in repaired


def test_learn_unpaired_says_when_it_finds_nothing_and_writes_nothing(farm, tmp_path, capsys):
    clean, _spun = farm
    src = tmp_path / "site"
    src.mkdir()
    (src / "one.txt").write_text(clean[0], encoding="utf-8")
    out = tmp_path / "farm.tsv"
    assert learn_module.main(["--unpaired", str(src), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "warning: 1 article only" in err and "nothing was written" in err
    assert not out.exists()


def test_learn_unpaired_takes_no_originals(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        learn_module.main(["--unpaired", "--originals", str(tmp_path), str(tmp_path)])
    assert exc.value.code == 2 and "takes no --originals" in capsys.readouterr().err
