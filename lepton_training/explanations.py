"""Explanations of graded answers, kept sealed in the package and opened by ``qN.explain()`` after an attempt.

An explanation says why the answer is what it is ("B, C and D are true"), so, like an answer key, it is not kept
in the package as text a learner could read or search. It is sealed: compressed and masked with a keystream
drawn from the question's full id, then written as base64. Like the salted digests of small answer spaces
(:func:`lepton_training.checks.answer_digest`), this keeps the text from being *read* off the package, not from a
determined learner; the event record notes every explanation opened (:meth:`~lepton_training.exercises.Question.
explain`), which is where the course watches.

The text itself is written once, in the instructor's notebook: a markdown cell with the id ``qN-explanation``,
tagged ``explanation`` so that the learner release leaves it out (code cells that show the evidence may carry the
tag too; only the markdown cell is sealed). To seal it after an edit::

    python -m lepton_training.explanations solutions/01-data-prep/01-data-prep.ipynb

prints each explanation cell's sealed text, for the question module (``tests/test_explanations.py`` fails, with
the same text, while the two differ).
"""

from __future__ import annotations

import base64
import hashlib
import sys
import textwrap
import zlib

__all__ = ["seal", "unseal", "sealed_literal", "EXPLANATION_TAG"]

#: Tag of the instructor notebook's explanation cells; the build removes them from the learner release.
EXPLANATION_TAG = "explanation"


def _keystream(salt: str, n: int) -> bytes:
    out = bytearray()
    counter = 0
    while len(out) < n:
        out += hashlib.sha256(f"lepton-explanation:{salt}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:n])


def seal(text: str, salt: str) -> str:
    """Return ``text`` sealed for the package.

    Parameters
    ----------
    text : str
        The explanation, in Markdown.
    salt : str
        The question's full id, such as ``"01-data-prep:q4"``.

    Returns
    -------
    str
        Base64 text; :func:`unseal` with the same salt gives ``text`` back.

    Examples
    --------
    >>> unseal(seal("**Why.** Because.", "demo:q1"), "demo:q1")
    '**Why.** Because.'
    >>> "Because" in seal("**Why.** Because.", "demo:q1")
    False
    """
    packed = zlib.compress(text.encode("utf-8"), 9)
    masked = bytes(a ^ b for a, b in zip(packed, _keystream(salt, len(packed)), strict=True))
    return base64.b64encode(masked).decode("ascii")


def unseal(blob: str, salt: str) -> str:
    """Return the text :func:`seal` sealed with ``salt``.

    Parameters
    ----------
    blob : str
        The sealed text; white space inside it is ignored (a long blob is wrapped in the source).
    salt : str
        The question's full id.

    Returns
    -------
    str
    """
    masked = base64.b64decode("".join(blob.split()))
    packed = bytes(a ^ b for a, b in zip(masked, _keystream(salt, len(masked)), strict=True))
    return zlib.decompress(packed).decode("utf-8")


def sealed_literal(text: str, salt: str, width: int = 100) -> str:
    """Return Python source for the sealed text: a parenthesized string literal, wrapped at ``width``.

    Parameters
    ----------
    text : str
    salt : str
    width : int, default 100

    Returns
    -------
    str
    """
    lines = textwrap.wrap(seal(text, salt), width)
    return "(\n" + "".join(f'    "{line}"\n' for line in lines) + ")"


def _main(paths: list[str]) -> int:
    import nbformat

    for path in paths:
        nb = nbformat.read(path, as_version=4)
        module = nb.metadata.get("lepton_training", {}).get("module", "")
        for cell in nb.cells:
            if cell.cell_type == "markdown" and cell.get("id", "").endswith("-explanation"):
                question = cell.get("id", "").split("-")[0]
                print(f"# {module}:{question} ({cell.get('id')})")
                print(sealed_literal(cell.source, f"{module}:{question}"))
    return 0


if __name__ == "__main__":  # pragma: no cover - a helper for authors
    sys.exit(_main(sys.argv[1:]))
