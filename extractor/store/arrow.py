"""Rows as Arrow tables for DuckDB's bulk insert, with the column types given where
pyarrow would only infer them."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa


def arrow_table(columns: tuple[str, ...], rows: Sequence[Sequence[object]]) -> pa.Table:
    return pa.table({c: arrow_array([row[i] for row in rows]) for i, c in enumerate(columns)})


#: The Arrow type pyarrow infers for values all of one of these Python types.
_ARROW_TYPES = {str: pa.string(), bool: pa.bool_(), int: pa.int64(), float: pa.float64()}


def arrow_array(values: list[object]) -> pa.Array:
    """`pa.array(values)`, of the type pyarrow would infer: given here when the values
    (None aside) are all str, all bool, all int or all float, or all None, since pyarrow's
    inference tries to import optional modules (dateutil, pandas) on each call, about
    0.2 ms of CPU a column, each column of each table of each batch. Other values (lists,
    datetimes, a mix) are inferred by pyarrow, as before."""
    kinds = {type(value) for value in values if value is not None}
    if not kinds:
        return pa.array(values, type=pa.null())
    arrow_type = _ARROW_TYPES.get(kinds.pop()) if len(kinds) == 1 else None
    return pa.array(values) if arrow_type is None else pa.array(values, type=arrow_type)
