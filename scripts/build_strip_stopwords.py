"""Build lexicons/strip_stopwords.txt: function words of many languages (from wordfreq).

The boilerplate stripper uses stopword density as one sign of running prose. A
list that covers many languages keeps non-English paragraphs from looking like
menus. Source: the top words of each language in wordfreq's data (Apache-2.0 code;
data from the sources listed by wordfreq, CC BY-SA 4.0), filtered to short words.

    .venv/bin/python scripts/build_strip_stopwords.py
"""

from __future__ import annotations

from pathlib import Path

import wordfreq

LANGS = ["en", "fr", "de", "es", "pt", "it", "nl", "id", "ms", "sv", "da", "nb", "pl",
         "ro", "tr", "ca", "cs", "fi", "hu", "hr", "sk", "sl", "tl", "sw", "vi",
         "ru", "uk", "bg", "sr", "mk", "el", "ar", "fa", "he", "hi"]
TOP = 60

def main() -> None:
    words: set[str] = set()
    for lang in LANGS:
        try:
            top = wordfreq.top_n_list(lang, TOP)
        except Exception:  # language not in this wordfreq version
            continue
        words.update(w for w in top if w.isalpha() and len(w) <= 6)
    out = Path(__file__).resolve().parents[1] / "lexicons" / "strip_stopwords.txt"
    header = ("# Function words of many languages, one per line (lowercase), for the\n"
              "# boilerplate stripper's stopword density. Built by scripts/build_strip_stopwords.py\n"
              f"# from wordfreq's top {TOP} words of: {' '.join(LANGS)}.\n")
    out.write_text(header + "\n".join(sorted(words)) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {out}")

if __name__ == "__main__":
    main()
