"""Plain data across the sandbox wall: encode answers as JSON (arrays as ``.npy`` bytes), never pickle.

A learner's answer leaves the sandbox as the values their code returned, written by the recorder in the
sandbox and read by the verifier in the grader's process. The format only knows plain data (the course's rule,
docs/authoring.md, "Answers are plain data"): ``None``, bools, numbers, strings, lists, tuples, sets, dicts,
NumPy scalars and arrays (``.npy`` without pickle), pandas Series and DataFrames (column by column), and SciPy's
``OptimizeResult`` (a dict of plain data), and *unfitted* scikit-learn estimators (a test may hand the learner's
function a model to tune: its class, which must live in ``sklearn``, and its parameters, themselves plain data).
Types are checked *exactly*: a subclass of ``float`` that claims to equal anything is not a float here, it is
reported as unsupported, and decoding never runs code from the data (an estimator is rebuilt by calling its
scikit-learn class with its parameters, which only stores them).

This module runs in the sandboxed kernel too (the recorder imports it), so it imports NumPy and pandas only
when a value of theirs is met.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import json
import math
import sys
from typing import Any

__all__ = ["encode", "decode", "digest", "Unsupported"]


class Unsupported(TypeError):
    """Raised by :func:`decode` for a value the recorder could not express as plain data."""


def _npy(array: Any) -> dict:
    import numpy as np

    buffer = io.BytesIO()
    np.save(buffer, np.asarray(array), allow_pickle=False)
    return {"npy": base64.b64encode(buffer.getvalue()).decode("ascii")}


def _column(values: Any) -> dict:
    """Encode a pandas column's values: ``.npy`` for numeric, bool and datetime data, else a list of scalars."""
    import numpy as np

    array = np.asarray(values)
    if array.dtype.kind in "biufcmM":
        return _npy(array)
    return {"list": [encode(v) for v in array.tolist()]}


def encode(value: Any) -> Any:
    """Encode a value as JSON-ready plain data.

    Parameters
    ----------
    value : object
        An answer or an argument given to an answer.

    Returns
    -------
    object
        JSON-ready data; ``{"unsupported": "<type name>"}`` for anything that is not plain data.
    """
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        return value if abs(value) < 2**53 else {"int": str(value)}
    if kind is float:
        return value if math.isfinite(value) else {"float": repr(value)}
    if kind is list:
        return [encode(v) for v in value]
    if kind is tuple:
        return {"tuple": [encode(v) for v in value]}
    if kind in (set, frozenset):
        items = [encode(v) for v in value]
        return {"set": sorted(items, key=lambda v: json.dumps(v, sort_keys=True))}
    if kind is dict:
        return {"dict": [[encode(k), encode(v)] for k, v in value.items()]}
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        if isinstance(value, numpy.generic) and kind.__module__ == "numpy":
            return {"scalar": _npy(numpy.asarray(value))}
        if kind is numpy.ndarray:
            if value.dtype.kind in "OVU" or value.dtype.hasobject:
                if value.dtype.kind == "U":
                    return {"ndarray-str": encode(value.tolist()), "shape": list(value.shape)}
                return {"unsupported": f"array of {value.dtype}"}
            return {"ndarray": _npy(value)}
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        if kind is pandas.Timestamp:
            return {"timestamp": value.isoformat(), "tz": None if value.tz is None else str(value.tz)}
        if value is pandas.NaT:
            return {"nat": True}
        if value is pandas.NA:
            return {"na": True}
        if kind is pandas.Timedelta:
            return {"timedelta": int(value.value)}
        if isinstance(value, pandas.Index) and kind.__module__.split(".")[0] == "pandas":
            return {"index": _index(value)}
        if kind is pandas.Series:
            return {
                "series": {
                    "values": _column(value.to_numpy()),
                    "dtype": str(value.dtype),
                    "index": _index(value.index),
                    "name": encode(value.name),
                }
            }
        if kind is pandas.DataFrame:
            return {
                "frame": {
                    "columns": _index(value.columns),
                    "values": [_column(value.iloc[:, i].to_numpy()) for i in range(value.shape[1])],
                    "dtypes": [str(d) for d in value.dtypes],
                    "index": _index(value.index),
                }
            }
    if kind in (datetime.datetime, datetime.date, datetime.time):
        return {kind.__name__: value.isoformat()}
    if kind.__name__ == "OptimizeResult" and kind.__module__.startswith("scipy.optimize"):
        return {"optimize-result": [[k, encode(v)] for k, v in dict.items(value)]}
    if kind.__module__.split(".")[0] == "sklearn" and callable(getattr(value, "get_params", None)):
        return _estimator(value, kind)
    return {"unsupported": f"{kind.__module__}.{kind.__qualname__}"}


def _estimator(value: Any, kind: type) -> dict:
    # Only an unfitted estimator is plain: its parameters say everything about it. A fitted one holds learned
    # arrays ("coef_") that its parameters cannot rebuild.
    if any(k.endswith("_") and not k.startswith("_") for k in vars(value)):
        return {"unsupported": f"a fitted {kind.__qualname__}"}
    params = [[k, encode(v)] for k, v in sorted(value.get_params(deep=False).items())]
    return {"estimator": [f"{kind.__module__}.{kind.__qualname__}", params]}


def _decode_estimator(data: list) -> Any:
    import importlib

    path, params = data
    module, _, name = str(path).rpartition(".")
    if module.split(".")[0] != "sklearn" or not name.isidentifier():
        raise ValueError(f"not a scikit-learn estimator: {path}")
    kind = getattr(importlib.import_module(module), name)
    return kind(**{str(k): decode(v) for k, v in params})


def _index(index: Any) -> dict:
    import pandas as pd

    if type(index) is pd.RangeIndex:
        return {"range": [index.start, index.stop, index.step], "name": encode(index.name)}
    if type(index) is pd.MultiIndex:
        return {"multi": encode([tuple(t) for t in index.tolist()]), "names": encode(list(index.names))}
    return {"values": _column(index.to_numpy()), "dtype": str(index.dtype), "name": encode(index.name)}


def _load_npy(data: dict) -> Any:
    import numpy as np

    return np.load(io.BytesIO(base64.b64decode(data["npy"])), allow_pickle=False)


def _decode_column(data: dict) -> Any:
    if "npy" in data:
        return _load_npy(data)
    return [decode(v) for v in data["list"]]


def _decode_index(data: dict) -> Any:
    import pandas as pd

    if "range" in data:
        return pd.RangeIndex(*data["range"], name=decode(data["name"]))
    if "multi" in data:
        return pd.MultiIndex.from_tuples(decode(data["multi"]), names=decode(data["names"]))
    return pd.Index(_astype(_decode_column(data["values"]), data["dtype"]), name=decode(data["name"]))


def _astype(values: Any, dtype: str) -> Any:
    import pandas as pd

    try:
        return pd.array(values, dtype=dtype)
    except (TypeError, ValueError):  # a dtype this pandas cannot rebuild from a name: keep the values
        return values


def decode(data: Any) -> Any:
    """Rebuild a value encoded by :func:`encode`.

    Parameters
    ----------
    data : object
        Parsed JSON.

    Returns
    -------
    object

    Raises
    ------
    Unsupported
        For a value that was not plain data in the sandbox.
    ValueError
        For data this module did not write.
    """
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict) or len(data) == 0:
        raise ValueError("not encoded plain data")
    if "unsupported" in data:
        raise Unsupported(str(data["unsupported"]))
    if "int" in data:
        return int(data["int"])
    if "float" in data:
        return float(data["float"])
    if "tuple" in data:
        return tuple(decode(v) for v in data["tuple"])
    if "set" in data:
        return {decode(v) for v in data["set"]}
    if "dict" in data:
        return {_hashable(decode(k)): decode(v) for k, v in data["dict"]}
    if "scalar" in data:
        return _load_npy(data["scalar"])[()]
    if "ndarray" in data:
        return _load_npy(data["ndarray"])
    if "ndarray-str" in data:
        import numpy as np

        return np.array(decode(data["ndarray-str"]), dtype=str).reshape(data["shape"])
    if "series" in data:
        import pandas as pd

        s = data["series"]
        values = _astype(_decode_column(s["values"]), s["dtype"])
        return pd.Series(values, index=_decode_index(s["index"]), name=decode(s["name"]))
    if "frame" in data:
        import pandas as pd

        f = data["frame"]
        columns = _decode_index(f["columns"])
        series = [_astype(_decode_column(v), d) for v, d in zip(f["values"], f["dtypes"], strict=True)]
        index = _decode_index(f["index"])
        if not series:
            return pd.DataFrame(index=index, columns=columns)
        frame = pd.concat([pd.Series(s) for s in series], axis=1)
        frame.columns = columns
        frame.index = index
        return frame
    if "timestamp" in data:
        import pandas as pd

        stamp = pd.Timestamp(str(data["timestamp"]))
        return stamp if not data.get("tz") else stamp.tz_convert(str(data["tz"]))
    if "nat" in data:
        import pandas as pd

        return pd.NaT
    if "na" in data:
        import pandas as pd

        return pd.NA
    if "timedelta" in data:
        import pandas as pd

        return pd.Timedelta(int(data["timedelta"]), unit="ns")
    if "index" in data:
        return _decode_index(data["index"])
    for name in ("datetime", "date", "time"):
        if name in data:
            return getattr(datetime, name).fromisoformat(str(data[name]))
    if "optimize-result" in data:
        from scipy.optimize import OptimizeResult

        return OptimizeResult({k: decode(v) for k, v in data["optimize-result"]})
    if "estimator" in data:
        return _decode_estimator(data["estimator"])
    raise ValueError("not encoded plain data")


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def digest(args: tuple) -> str:
    """Return a digest of call arguments, the same in the sandbox and in the grader's process.

    Parameters
    ----------
    args : tuple
        The positional arguments a test gave the learner's function.

    Returns
    -------
    str
        Hex SHA-256 of the arguments' canonical plain-data encoding.
    """
    text = json.dumps(encode(tuple(args)), sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
