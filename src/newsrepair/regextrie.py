"""One regular expression for many alternatives, shaped as a trie.

``re`` tries the branches of a flat alternation ``navy|nation|national`` one after the
other at every position; with common beginnings factored out, ``na(?:vy|tion)``, it
tries a few. :mod:`newsrepair.spin.lexicon` (where signature phrases start) searches
with it.

    >>> trie_regex([["n", "a", "v", "y"], ["n", "a", "t", "i", "o", "n"]])
    'na(?:tion|vy)'
"""

from __future__ import annotations

from typing import Iterable, Sequence

__all__ = ["trie_regex"]


def trie_regex(paths: Iterable[Sequence[str]]) -> str:
    """A regex matching any of ``paths``; each path is a sequence of regex atoms
    (escaped characters, or small patterns such as ``\\s*``).

    Only whether some path matches is decided: where one path is the beginning of
    another, the regex stops at the shorter one. An empty input gives ``""``.
    """
    trie: dict[str, dict] = {}
    for path in paths:
        node = trie
        for atom in path:
            node = node.setdefault(atom, {})
        node[""] = {}  # a path ends here
    return _emit(trie) if trie else ""


def _emit(node: dict[str, dict]) -> str:
    if "" in node:
        return ""  # a path ends here: a longer one adds nothing to whether one matches
    branches = [atom + _emit(child) for atom, child in sorted(node.items())]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
