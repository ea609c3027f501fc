"""The course's own steps of the learner-release build, as nbgrader preprocessors.

Each class does one transformation of a notebook, like nbgrader's own ``ClearSolutions`` or ``LockCells``, and
is configurable through traitlets (``c.RemoveTaggedCells.tags = [...]`` in ``jupyter_config.py``).
:func:`release_preprocessors` gives the whole chain that ``nbgrader generate_assignment`` runs.
"""

from __future__ import annotations

import re

from nbconvert.preprocessors import ClearOutputPreprocessor
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell
from nbgrader import utils as nbgrader_utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import List, Set, Unicode, default

__all__ = [
    "RemoveTaggedCells",
    "ClearNotebookState",
    "AddColabSetupCell",
    "QuietAnswerStubs",
    "NBGRADER_RELEASE_CHAIN",
    "release_preprocessors",
]

COLAB_SETUP_TAG = "colab-setup"


def _tags(cell: NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _add_tag(cell: NotebookNode, tag: str) -> None:
    tags = _tags(cell)
    if tag not in tags:
        cell.metadata["tags"] = [*tags, tag]


class RemoveTaggedCells(NbGraderPreprocessor):
    """Remove the cells that carry any of the given tags (facilitator notes and explanations by default).

    Facilitator notes (timing cues, discussion prompts, common mistakes) live beside the content in the
    instructor's source but must never reach learners. Explanations of graded answers (cells tagged
    ``explanation``) reach them only through ``qN.explain()``, after an attempt.

    Attributes
    ----------
    tags : list of str
        A cell whose ``metadata.tags`` contains any of these is removed. Default ``["facilitator",
        "explanation"]``.
    """

    tags = List(Unicode(), ["facilitator", "explanation"], help="Cells tagged with any of these tags are removed.").tag(
        config=True
    )

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        """Drop the tagged cells from ``nb``.

        Parameters
        ----------
        nb : NotebookNode
            The notebook, changed in place.
        resources : dict
            nbconvert resources, passed through.

        Returns
        -------
        tuple of (NotebookNode, dict)
            The notebook without the tagged cells, and ``resources``.
        """
        remove = set(self.tags)
        kept = []
        for cell in nb.cells:
            if remove.intersection(_tags(cell)):
                if "nbgrader" in cell.get("metadata", {}):
                    # Removing a graded cell changes the assignment's points: worth a line in the build log.
                    self.log.warning(
                        "Removing tagged cell %r, which is also an nbgrader cell",
                        cell.metadata["nbgrader"].get("grade_id"),
                    )
                continue
            kept.append(cell)
        nb.cells = kept
        return nb, resources


class ClearNotebookState(NbGraderPreprocessor, ClearOutputPreprocessor):
    """Clear everything that running a notebook leaves behind, so the release is byte-stable.

    Outputs and execution counts are cleared (as by nbconvert's ``ClearOutputPreprocessor``), then the cell
    metadata of a run (timings, collapsed or scrolled outputs) and the notebook metadata of a run (the
    ipywidgets state) are removed. The committed learner release is then identical whenever it is rebuilt
    from the same source, however the instructor last ran it.

    Attributes
    ----------
    remove_metadata_fields : set of str
        Cell metadata keys removed from code cells. Default ``{"collapsed", "scrolled", "execution",
        "ExecuteTime"}``.
    remove_notebook_metadata_fields : set of str
        Notebook metadata keys removed. Default ``{"widgets"}``.
    """

    remove_notebook_metadata_fields = Set(
        {"widgets"}, help="Notebook-level metadata keys to remove, such as the saved ipywidgets state."
    ).tag(config=True)

    @default("remove_metadata_fields")
    def _default_remove_metadata_fields(self) -> set[str]:
        # "execution" is JupyterLab's record of timings; "ExecuteTime" the classic extension's.
        return {"collapsed", "scrolled", "execution", "ExecuteTime"}

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        """Clear outputs, execution counts and run metadata.

        Parameters
        ----------
        nb : NotebookNode
            The notebook, changed in place.
        resources : dict
            nbconvert resources, passed through.

        Returns
        -------
        tuple of (NotebookNode, dict)
            The cleared notebook and ``resources``.
        """
        for key in self.remove_notebook_metadata_fields:
            nb.metadata.pop(key, None)
        return super().preprocess(nb, resources)


class AddColabSetupCell(NbGraderPreprocessor):
    """Insert, before the first code cell, a locked cell that installs the course package on Google Colab.

    On Colab the learner's runtime has no ``lepton_training``; everywhere else (JupyterLab, JupyterHub) the
    package is already installed and the cell does nothing. The cell is tagged ``colab-setup``, read-only and
    undeletable, and is not an nbgrader cell (it is neither graded nor checksummed). If the notebook already
    has a cell with that tag, its source is replaced instead of adding a second one, so running the step twice
    gives the same notebook. A notebook without code cells gets no setup cell.

    What it installs comes from ``[course.colab]`` in ``course.toml``: the exact version the release is built
    with, from a Git repository, a wheel or a package index. For a private repository or index the cell reads a
    token from a Colab secret at install time and hands it to git (``GIT_CONFIG_*`` variables) or pip
    (``PIP_INDEX_URL``) through the environment of that one install, so it is never written into the notebook,
    its outputs or the command line.

    Attributes
    ----------
    pip_spec : str
        The pip requirement installed on Colab. Default: the manifest's ``load_course().pip_spec``.
    pip_options : str
        Extra ``pip install`` options, such as ``--index-url URL``. Default: from the manifest.
    token_secret : str
        Name of the Colab secret holding a read-only token for a private source; empty for a public one.
        Default: from the manifest.
    tag : str
        The tag that identifies the setup cell. Default ``"colab-setup"``.
    """

    pip_spec = Unicode(help="pip requirement that installs the course package on Colab.").tag(config=True)
    pip_options = Unicode(help="Extra pip install options, such as --index-url URL.").tag(config=True)
    token_secret = Unicode(help="Colab secret holding a token for a private Git repository or index.").tag(config=True)
    tag = Unicode(COLAB_SETUP_TAG, help="Tag identifying the Colab setup cell.").tag(config=True)

    @default("pip_spec")
    def _default_pip_spec(self) -> str:
        from lepton_training.manifest import load_course

        return load_course().pip_spec

    @default("pip_options")
    def _default_pip_options(self) -> str:
        from lepton_training.manifest import load_course

        return load_course().colab_install.pip_options

    @default("token_secret")
    def _default_token_secret(self) -> str:
        from lepton_training.manifest import load_course

        return load_course().colab_install.token_secret

    def setup_source(self) -> str:
        """Return the source of the setup cell.

        On Colab the cell runs pip in a subprocess with its output captured (``%pip`` would print pip's
        "you may need to restart the kernel" note, wrong here: only the course package is added) and ends in one
        line: ``Installed lepton-training X (no restart needed).``, or a ``CourseSetupError`` that says what went
        wrong and what to do (check the connection; tell the facilitator that the release is missing; add the
        Colab secret). Raising stops *Run all* there, so no later cell runs without the package. On failure pip's
        last lines are printed first, for the facilitator (a token is masked).

        Returns
        -------
        str
            Plain Python source (no IPython magic) that installs only when ``google.colab`` is imported.

        Raises
        ------
        ValueError
            If a token is asked for but the source is neither a ``git+https`` requirement nor an index given by
            ``--index-url``.
        """
        options = self.pip_options.split()
        secret = self.token_secret
        lines = [
            "# Setup for Google Colab: installs the course package (elsewhere it is already installed).",
        ]
        if secret:
            lines += [
                f"# The source is private: add a read-only token as the Colab secret {secret} (key icon in the left "
                "bar)",
                "# and let this notebook read it. Never paste a token into a notebook.",
            ]
        git = re.search(r"git\+(https://[^/@\s]+/)", self.pip_spec)
        index = options[options.index("--index-url") + 1] if "--index-url" in options[:-1] else None
        handover: list[str] = []
        if secret and git:
            scheme, host = git.group(1).split("://", 1)
            handover = [
                "    env.update(",
                '        GIT_CONFIG_COUNT="1",',
                f'        GIT_CONFIG_KEY_0="url.{scheme}://x-access-token:" + token + "@{host}.insteadOf",',
                f'        GIT_CONFIG_VALUE_0="{git.group(1)}",',
                "    )",
            ]
        elif secret and index:
            scheme, rest = index.split("://", 1)
            handover = [f'    env["PIP_INDEX_URL"] = "{scheme}://__token__:" + token + "@{rest}"']
            i = options.index("--index-url")
            options = options[:i] + options[i + 2 :]
        elif secret:
            raise ValueError(
                f"AddColabSetupCell.token_secret={secret!r} needs a git+https requirement or an --index-url option; "
                f"got pip_spec={self.pip_spec!r}, pip_options={self.pip_options!r}."
            )
        release, host = self._release_and_host(index)
        extra = "".join(", " + repr(option) for option in options)
        command = ["-m", "pip", "install", "--quiet", "--no-color", "--disable-pip-version-check", "--retries", "1"]
        lines += [
            "import sys",
            'if "google.colab" in sys.modules:',
            "    import importlib, importlib.metadata, os, subprocess",
            "",
            "    class CourseSetupError(RuntimeError):",
            '        """The course package could not be installed: the message says what to do."""',
            "",
            f"    SOURCE = {self.pip_spec!r}",
            "    env = dict(os.environ)",
        ]
        if secret:
            lines += [
                "    try:",
                "        from google.colab import userdata",
                "",
                f'        token = userdata.get("{secret}") or ""',
                "    except Exception:  # the secret is missing, or this notebook may not read it",
                '        token = ""',
                "    if not token:",
                "        raise CourseSetupError(",
                f'            "Add the Colab secret {secret} (key icon in the left bar) holding the read-only token "',
                '            "your facilitator gave you, switch on Notebook access for it, then run this cell again."',
                "        ) from None",
                *handover,
            ]
        lines += [
            "    pip = subprocess.run(",
            f"        [sys.executable, {', '.join(map(repr, command))}, SOURCE{extra}],",
            "        capture_output=True, text=True, env=env,",
            "    )",
            "    log = pip.stdout + pip.stderr",
            *(['    log = log.replace(token, "***")  # git may repeat the URL it was given'] if secret else []),
            "    said = log.lower()",
            "    if pip.returncode == 0:",
            "        importlib.invalidate_caches()",
            "        import lepton_training  # noqa: F401 (fails here, not in a later cell, if the install is broken)",
            "",
            "        version = importlib.metadata.version('lepton-training')",
            '        print(f"Installed lepton-training {version} (no restart needed).")',
            "    else:",
            "        print(*log.strip().splitlines()[-8:], sep=chr(10))  # pip's last words, for the facilitator",
            "        offline = ('could not resolve', 'name resolution', 'failed to establish', 'failed to connect',",
            "                   'network is unreachable', 'connection refused', 'timed out', 'name or service')",
            "        refused = ('authentication failed', 'could not read username', 'error 401', 'error: 401',",
            "                   'error 403', 'error: 403', '401 client error', '403 client error')",
            "        missing = ('did not match any', 'not found', 'error 404', 'error: 404', '404 client error',",
            "                   'no matching distribution')",
            "        if any(word in said for word in offline):",
            "            problem = (",
            f'                "Could not reach {host}: check the internet connection (Runtime > Reconnect), then run "',
            '                "this cell again; if it keeps failing, ask your facilitator for the course wheel."',
            "            )",
            "        elif any(word in said for word in refused):",
        ]
        if secret:
            lines += [
                "            problem = (",
                f'                "{host} refused the token in the Colab secret {secret}: ask your facilitator "',
                '                "for a valid read-only token (or for the course wheel), update the secret, run "',
                '                "this cell again."',
                "            )",
            ]
        else:
            lines += [
                "            problem = (",
                f'                "{host} refused access (a private source): tell your facilitator that the "',
                '                "course\'s Colab source needs a token secret, and ask them for the course wheel."',
                "            )",
            ]
        lines += [
            "        elif any(word in said for word in missing):",
            "            problem = (",
            f'                "{release} was not found: "',
            '                "tell your facilitator that it is missing (not published), and ask them for the course "',
            '                "wheel."',
            "            )",
            "        else:",
            "            problem = (",
            '                "pip could not install the course package (its last words are above): ask your "',
            '                "facilitator for the course wheel."',
            "            )",
            '        raise CourseSetupError(f"lepton-training was not installed. {problem}")',
        ]
        return "\n".join(lines)

    def _release_and_host(self, index: str | None) -> tuple[str, str]:
        """Name the release the cell installs, as a learner can repeat it to a facilitator, and its host."""
        git = re.fullmatch(r"lepton-training\s*@\s*git\+(\S+?)@([^@/\s]+)", self.pip_spec)
        url = re.fullmatch(r"lepton-training\s*@\s*(\S+)", self.pip_spec)
        if git:
            release = f"The release tag {git.group(2)} of {git.group(1)}"
        elif url:
            release = f"The course wheel {url.group(1)}"
        else:
            release = f"{self.pip_spec} on {index or 'PyPI'}"
        where = re.search(r"://([^/@\s:]+)", index or self.pip_spec)
        return release, where.group(1) if where else ("the package index" if index or not url else "its source")

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        """Insert or refresh the Colab setup cell.

        Parameters
        ----------
        nb : NotebookNode
            The notebook, changed in place.
        resources : dict
            nbconvert resources, passed through.

        Returns
        -------
        tuple of (NotebookNode, dict)
            The notebook with exactly one setup cell (if it has code cells) and ``resources``.
        """
        existing = [cell for cell in nb.cells if cell.cell_type == "code" and self.tag in _tags(cell)]
        if existing:
            for cell in existing[1:]:
                nb.cells.remove(cell)
            self._lock(existing[0])
            existing[0].source = self.setup_source()
            return nb, resources

        first_code = next((i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"), None)
        if first_code is None:
            return nb, resources
        cell = new_code_cell(source=self.setup_source())
        self._lock(cell)
        if nb.get("nbformat_minor", 0) >= 5 or any("id" in c for c in nb.cells):
            # A fixed id, not nbformat's random one: the release must be byte-identical when rebuilt.
            ids = {c.get("id") for c in nb.cells}
            cell.id = self.tag if self.tag not in ids else f"{self.tag}-cell"
        else:
            # Cell ids are invalid before nbformat 4.5.
            del cell["id"]
        nb.cells.insert(first_code, cell)
        return nb, resources

    def _lock(self, cell: NotebookNode) -> None:
        _add_tag(cell, self.tag)
        cell.metadata["editable"] = False
        cell.metadata["deletable"] = False


class QuietAnswerStubs(NbGraderPreprocessor):
    """Keep an unanswered answer cell from raising when it runs at the top level of a notebook.

    nbgrader's ``ClearSolutions`` replaces every solution region with ``# YOUR CODE HERE`` and
    ``raise NotImplementedError()``. Inside a function that is right: the stub raises only when called, and the
    questions turn that into feedback. At the top level of a cell (an answer that is a value, such as a set of
    statements) the cell itself would raise, and "Run all" stops there in Colab. This step drops such a
    top-level ``raise NotImplementedError()`` line, so the cell runs and the answer is simply not defined yet:
    its test cell then says so in a feedback box. Indented stubs are kept.

    Solution-only cells carry no nbgrader checksum, and ``ComputeChecksums`` runs after this step, so tamper
    detection is not disturbed.
    """

    stub = Unicode("raise NotImplementedError()", help="The top-level stub line that is dropped.").tag(config=True)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        """Drop the top-level stub line of one answer code cell.

        Parameters
        ----------
        cell : NotebookNode
            The cell, changed in place.
        resources : dict
            nbconvert resources, passed through.
        index : int
            Position of the cell (unused).

        Returns
        -------
        tuple of (NotebookNode, dict)
            The cell and ``resources``.
        """
        if cell.cell_type == "code" and nbgrader_utils.is_solution(cell):
            lines = cell.source.split("\n")
            kept = [line for line in lines if line.rstrip() != self.stub]
            if len(kept) != len(lines):
                cell.source = "\n".join(kept).rstrip("\n")
        return cell, resources


#: nbgrader 0.9's default ``GenerateAssignment.preprocessors``, in order.
NBGRADER_RELEASE_CHAIN = (
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearSolutions",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
)

_OURS = "lepton_training.build.preprocessors."


def release_preprocessors() -> list[str]:
    """Return the full preprocessor chain of the learner release, as import strings.

    nbgrader's default chain with the course's steps inserted:

    - ``RemoveTaggedCells`` right after ``IncludeHeaderFooter``, so notes in a header are removed too, and
      before anything is locked, checksummed or saved to the gradebook (``SaveCells``): a removed cell must
      leave no trace that autograding could restore.
    - ``QuietAnswerStubs`` right after ``ClearSolutions``, where the stubs appear: a top-level stub would stop
      "Run all"; solution-only cells have no checksum.
    - ``ClearNotebookState`` right after nbgrader's ``ClearOutput``, which it extends with run metadata.
    - ``AddColabSetupCell`` after that and before the first ``CheckCellMetadata``, so the metadata check sees
      the final cell list; the setup cell is not an nbgrader cell, so checksums and the gradebook ignore it.

    Returns
    -------
    list of str
        Import strings for ``c.GenerateAssignment.preprocessors`` (nbconvert imports them when it registers
        the chain, so the configuration file itself imports nothing heavy).

    Examples
    --------
    >>> chain = release_preprocessors()
    >>> chain[1]
    'lepton_training.build.preprocessors.RemoveTaggedCells'
    >>> chain.index("nbgrader.preprocessors.SaveCells") > chain.index(chain[1])
    True
    """
    chain = list(NBGRADER_RELEASE_CHAIN)

    def insert_after(anchor: str, name: str) -> None:
        chain.insert(chain.index(f"nbgrader.preprocessors.{anchor}") + 1, _OURS + name)

    insert_after("IncludeHeaderFooter", "RemoveTaggedCells")
    insert_after("ClearSolutions", "QuietAnswerStubs")
    insert_after("ClearOutput", "ClearNotebookState")
    chain.insert(chain.index(_OURS + "ClearNotebookState") + 1, _OURS + "AddColabSetupCell")
    return chain
