"""Repairing a text column of an Apache Spark DataFrame.

Install the extra first: ``pip install '.[spark]'`` in a checkout, or the built wheel with
``[spark]`` (pyspark, pyarrow, pandas).

    >>> from newsrepair.spark import repair_column           # doctest: +SKIP
    >>> out = repair_column(df, "text")                       # doctest: +SKIP
    >>> out.select("repaired", "spin_score", "is_spun").show()  # doctest: +SKIP

:func:`repair_column` keeps every input column and adds:

- ``repaired`` (string): the repaired text (named by ``output_col``);
- ``spin_score`` (double) and ``is_spun`` (boolean): the
  :class:`~newsrepair.SpinReport` score and verdict;
- ``changes_encoding``, ``changes_boilerplate``, ``changes_spin`` (int): the number of
  edits each stage made;
- ``changes`` (string, only with ``explain=True``): the change log as JSON.

The other names can be given a ``prefix`` (to repair two columns of one DataFrame). A
null input gives nulls in every added column; the columns of a stage that is off are null
(``spin_score`` and ``is_spun`` too, without the spin stage). The values are exactly
those of :func:`newsrepair.repair` on each row.

The work runs in Arrow batches through ``DataFrame.mapInPandas``. Each Python worker
process on the executors builds one :class:`~newsrepair.Repairer` per
:class:`~newsrepair.Config` (through :func:`newsrepair.get_repairer`) and keeps it for
every later batch and task it runs, so the lexicons are loaded once per process, from the
``newsrepair`` installed on the executors. Only the small, frozen config travels with
the job.
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any, Iterator

from .changes import STAGES
from .config import Config
from .errors import InputError, NewsrepairError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructType

__all__ = ["repair_column", "output_schema", "SparkMissingError", "STAT_COLUMNS"]

#: The names of the added columns other than the repaired text, without prefix, in order.
STAT_COLUMNS = ("spin_score", "is_spun", "changes_encoding", "changes_boilerplate", "changes_spin")

_INSTALL_HINT = ("newsrepair.spark needs Apache Spark: install the spark extra (pip install '.[spark]' in a "
                 "checkout of newsrepair, or pip install 'newsrepair-...whl[spark]' for a built wheel)")


class SparkMissingError(NewsrepairError, ImportError):
    """pyspark (or pyarrow / pandas) is not installed."""


def _require_pyspark() -> Any:
    """Import pyspark lazily, with an installation hint when it is missing."""
    try:
        import pyspark  # noqa: F401
        import pyspark.sql.types as types
    except ImportError as exc:
        raise SparkMissingError(f"{_INSTALL_HINT} ({exc})") from exc
    for name in ("pandas", "pyarrow"):
        try:
            __import__(name)
        except ImportError as exc:
            raise SparkMissingError(f"{_INSTALL_HINT} ({exc})") from exc
    return types


def _column_names(output_col: str, prefix: str, explain: bool) -> list[str]:
    names = [output_col] + [prefix + name for name in STAT_COLUMNS]
    if explain:
        names.append(prefix + "changes")
    return names


def output_schema(input_schema: "StructType", output_col: str = "repaired", *,
                  prefix: str = "", explain: bool = False) -> "StructType":
    """The schema :func:`repair_column` produces from a DataFrame with ``input_schema``."""
    t = _require_pyspark()
    kinds = [t.StringType(), t.DoubleType(), t.BooleanType(),
             t.IntegerType(), t.IntegerType(), t.IntegerType()]
    if explain:
        kinds.append(t.StringType())
    fields = list(input_schema.fields)
    for name, kind in zip(_column_names(output_col, prefix, explain), kinds):
        fields.append(t.StructField(name, kind, nullable=True))
    return t.StructType(fields)


def _repair_batches(batches: Iterator["pd.DataFrame"], *, input_col: str, names: list[str],
                    config: Config | None, stages: dict[str, bool],
                    explain: bool) -> Iterator["pd.DataFrame"]:
    """The ``mapInPandas`` function: runs on the executors, one call per partition.

    ``newsrepair.get_repairer`` is cached per process, so a Python worker that Spark
    reuses for many tasks loads the lexicons only once.
    """
    import pandas as pd

    from .api import get_repairer

    repairer = get_repairer(config)
    for batch in batches:
        n = len(batch)
        texts: list[Any] = [None] * n
        scores: list[Any] = [None] * n
        spun: list[Any] = [None] * n
        counts: dict[str, list[Any]] = {s: [None] * n for s in STAGES}
        logs: list[Any] = [None] * n
        for i, value in enumerate(batch[input_col].tolist()):
            if not isinstance(value, str):  # null (None / NaN / pd.NA)
                continue
            result = repairer.repair(value, **stages)
            texts[i] = result.text
            if result.spin is not None:
                scores[i] = float(result.spin.score)
                spun[i] = bool(result.spin.is_spun)
            for stage, count in result.counts().items():
                if stage in counts and stages.get(stage, True):
                    counts[stage][i] = count
            if explain:
                logs[i] = json.dumps([c.to_dict() for c in result.changes], ensure_ascii=False)
        added = [texts, scores, spun, counts["encoding"], counts["boilerplate"], counts["spin"]]
        if explain:
            added.append(logs)
        out = batch.copy(deep=False)
        for name, values in zip(names, added):
            # Plain Python values with None for null: Spark converts object columns to the
            # declared Arrow type on every supported pandas / pyarrow / pyspark version.
            out[name] = pd.Series(values, index=batch.index, dtype=object)
        yield out


def repair_column(df: "DataFrame", input_col: str = "text", *, output_col: str = "repaired",
                  prefix: str = "", config: Config | None = None, encoding: bool = True,
                  boilerplate: bool = True, spin: bool = True,
                  explain: bool = False) -> "DataFrame":
    """``df`` with the repaired text of ``input_col`` and its spin verdict as new columns.

    Args:
        df: a Spark DataFrame with a string column ``input_col``.
        input_col: the column to repair.
        output_col: the name of the repaired-text column (``"repaired"``).
        prefix: put before the names of the other added columns (``spin_score``,
            ``is_spun``, ``changes_encoding``, ``changes_boilerplate``,
            ``changes_spin``, and ``changes`` with ``explain``).
        config: the :class:`~newsrepair.Config` (the default config when ``None``).
        encoding, boilerplate, spin: which stages run, as in :func:`newsrepair.repair`.
        explain: also add the change log as a JSON string column (``changes``): a list
            of :meth:`Change.to_dict() <newsrepair.Change.to_dict>` objects.

    Returns:
        A new DataFrame with every column of ``df``, in order, then the added ones.
        Nothing runs until Spark evaluates it.

    Raises:
        SparkMissingError: when pyspark, pyarrow or pandas is not installed.
        InputError: when ``input_col`` is missing or not a string column, or an added
            column's name is already taken.
    """
    types = _require_pyspark()
    if config is not None and not isinstance(config, Config):
        raise InputError(f"config must be a newsrepair.Config, got {type(config).__name__}")
    if input_col not in df.columns:
        raise InputError(f"column {input_col!r} not found; the DataFrame has {df.columns}")
    kind = df.schema[input_col].dataType
    if not isinstance(kind, types.StringType):
        raise InputError(f"column {input_col!r} must hold strings, not {kind.simpleString()}"
                         " (cast or decode it first)")
    names = _column_names(output_col, prefix, explain)
    taken = [n for n in names if n in df.columns]
    if taken or len(set(names)) != len(names):
        raise InputError(f"output column name(s) {taken or names} already used; "
                         "choose another output_col or a prefix")
    schema = output_schema(df.schema, output_col, prefix=prefix, explain=explain)
    func = functools.partial(
        _repair_batches, input_col=input_col, names=names, config=config,
        stages={"encoding": encoding, "boilerplate": boilerplate, "spin": spin},
        explain=explain)
    return df.mapInPandas(func, schema)
