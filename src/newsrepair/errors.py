"""The exceptions newsrepair raises.

Everything newsrepair raises on purpose derives from :class:`NewsrepairError`, so a
pipeline can catch one type. Library functions given a ``str`` never raise for the
*content* of the text (they repair what they can and leave the rest); they raise only
for wrong argument types, malformed data files, bad configuration, or too little data to
learn a model from.
"""

from __future__ import annotations


class NewsrepairError(Exception):
    """Base class of every exception newsrepair raises on purpose."""


class InputError(NewsrepairError, TypeError):
    """The input is not text (for example ``bytes`` or ``None`` where ``str`` is needed).

    Also a :class:`TypeError`, so code that guards against wrong types keeps working.
    """


class DecodeError(NewsrepairError, ValueError):
    """Bytes could not be turned into text (binary data, NUL bytes)."""


class ChangeError(NewsrepairError, ValueError):
    """A change log does not fit the text it is replayed on
    (:func:`~newsrepair.apply_changes`): a change's ``before`` is not at its offsets, or
    two changes of one stage overlap."""


class DataFileError(NewsrepairError, ValueError):
    """A lexicon, spinner dictionary or learned model file is malformed.

    The message names the file and, where it helps, the line.
    """


class ConfigError(NewsrepairError, ValueError):
    """A :class:`~newsrepair.Config` option has an invalid value."""


class FitError(NewsrepairError, ValueError):
    """A model cannot be learned from the data given: for example
    :meth:`~newsrepair.BoilerplateModel.fit` given fewer pages than it needs to call any
    line furniture. The message says how many are needed.
    """


class DataFileWarning(UserWarning):
    """A data file was read, but some of its lines were not understood and were skipped:
    a spinner dictionary's lines without ``|``. The message names the file, how many
    lines and the first of them (the command line prints it as a warning)."""
