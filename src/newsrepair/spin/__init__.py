"""Stage 3, spin detection and reversal.

A synonym spinner replaces the phrases of its dictionary with "synonyms" regardless of
meaning ("military" -> "navy", "top general" -> "high normal"). The stage is
:class:`SpinModel` (:mod:`.model`), built from modules with one job each (the indexes
it builds from the shipped data are cached on disk by :mod:`newsrepair.datacache`):

- :mod:`.tokens`: tokens with their offsets in the text;
- :mod:`.lexicon`: the spin lexicons (loading, merging, inverting a spinner's group file,
  longest-match lookup, the scan for signature phrases);
- :mod:`.gazetteer`: names of institutions and places, for proposing the originals of
  spun names;
- :mod:`.detect`: the document's evidence of spinning and its calibrated score;
- :mod:`.decode`: noisy-channel decoding of a sentence (which candidates to restore);
- :mod:`.casing`: the restored words take the text's capitals, apostrophes and articles;
- :mod:`.spintax`: a spinner's template left in the text, resolved to its originals;
- :mod:`.learn`: learning a spinner's pairs from its articles aligned with the originals
  (``newsrepair learn``);
- :mod:`.pairing`: finding the original each spun article was made from, by content
  (``newsrepair learn --originals``);
- :mod:`.decipher`: which shipped pairs a spinner uses, read from its articles alone
  (``newsrepair learn --unpaired``).
"""

from .model import HAND_LEXICONS, NEWS_LEXICONS, SCIENCE_LEXICONS, SpinModel
from .tokens import FUNCTION_WORDS

__all__ = ["SpinModel", "NEWS_LEXICONS", "HAND_LEXICONS", "SCIENCE_LEXICONS", "FUNCTION_WORDS"]
