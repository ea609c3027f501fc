"""The grading view of the package: what a learner's kernel may import at grading, and nothing that answers.

A learner's notebook imports ``lepton_training`` for its data sets, figures and widgets. The grading sandbox gets
a copy of the package built for the module being graded (and bound over the installed one), in which

* every question module is a stand-in (:class:`.recorder.RecordedQuestion`) that records answers: no test, no
  check helper, no salted digest of a key, no seed;
* the course's implementations of the module's exercises (``Question(implementations=...)``), and the private
  helpers only they use, are replaced by stubs that raise
  :class:`~lepton_training.implementations.CourseCodeWithheld`; the rest of their modules (data, constants, other
  functions) stays;
* the instructor's tools (checks, grading, report, build, facilitation, site, command line) are left out.

Only source text is copied (no ``__pycache__``), so nothing withheld survives as bytecode.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import shutil
from pathlib import Path
from typing import Any

__all__ = ["build_view", "KEPT"]

#: What a learner's notebook may import at grading, relative to the package folder.
KEPT = (
    "__init__.py",
    "course.toml",
    "manifest.py",
    "render.py",
    "plotting.py",
    "implementations.py",
    "conditions.py",
    "notebook_answers.py",
    "widgets",
    "datasets",
    "optimization",
    "features",
    "evaluation",
    "recruitment",
    "grading/plain.py",
    "grading/recorder.py",
)

_GRADING_INIT = '"""At grading, only the recorder and its plain-data format are here."""\n'
_STUB_IMPORT = "from lepton_training.implementations import withheld as _lepton_withheld"


def _package_folder() -> Path:
    import lepton_training

    return Path(lepton_training.__file__).resolve().parent


def _copy_kept(source: Path, target: Path) -> None:
    for name in KEPT:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif path.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / name)
    (target / "grading" / "__init__.py").write_text(_GRADING_INIT, encoding="utf-8")


def _withheld_by_file(module_id: str) -> dict[Path, dict[str, str]]:
    """Map each source file to {top-level name: dotted name} of what grading withholds for a module.

    A module declared whole gives all its top-level functions and classes.
    """
    from lepton_training.implementations import declared, resolve, tools

    kept = tools(module_id)
    found: dict[Path, dict[str, str]] = {}
    for name in declared(module_id):
        obj = resolve(name)
        if inspect.ismodule(obj):
            for path in _module_paths(obj):
                tree = ast.parse(path.read_text(encoding="utf-8"))
                dotted = _dotted_module(path)
                for node in tree.body:
                    is_def = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                    if is_def and f"{dotted}.{node.name}" not in kept:
                        found.setdefault(path, {})[node.name] = f"{dotted}.{node.name}"
            continue
        target = inspect.unwrap(obj)
        if "." in target.__qualname__:
            raise ValueError(f"{module_id}: implementations are top-level functions or classes, not {name}")
        path = Path(inspect.getsourcefile(target)).resolve()
        found.setdefault(path, {})[target.__qualname__] = f"{target.__module__}.{target.__qualname__}"
    return found


def _module_paths(module: Any) -> list[Path]:
    if hasattr(module, "__path__"):
        return sorted(p.resolve() for folder in module.__path__ for p in Path(folder).rglob("*.py"))
    return [Path(module.__file__).resolve()]


def _dotted_module(path: Path) -> str:
    parts = list(path.relative_to(_package_folder().parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _names_used(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _private_helpers(tree: ast.Module, withheld: set[str]) -> set[str]:
    """Private top-level functions and classes that only withheld code uses: they compute the answer too."""
    defs = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    kept_use: set[str] = set()
    for node in tree.body:
        name = getattr(node, "name", None)
        if name not in defs or name not in withheld:
            kept_use |= _names_used(node) - ({name} if name else set())
    helpers = set(withheld)
    changed = True
    while changed:
        changed = False
        for name in list(helpers):
            for used in _names_used(defs[name]) if name in defs else ():
                if used.startswith("_") and used in defs and used not in helpers and used not in kept_use:
                    helpers.add(used)
                    changed = True
    return helpers - withheld


def _stub(node: ast.AST, dotted: str) -> ast.stmt:
    call = f"_lepton_withheld({dotted!r})"
    if isinstance(node, ast.ClassDef):
        source = (
            f"class {node.name}:\n"
            f"    def __init__(self, *args, **kwargs):\n        {call}\n"
            f"    def __init_subclass__(cls, **kwargs):\n        {call}\n"
        )
    else:
        source = f"def {node.name}(*args, **kwargs):\n    {call}\n"
    return ast.parse(source).body[0]


def _withhold(path: Path, names: dict[str, str]) -> str:
    """Return the source of ``path`` with the named top-level functions and classes replaced by stubs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _dotted_module(path)
    helpers = _private_helpers(tree, set(names))
    all_names = {**names, **{h: f"{module}.{h}" for h in helpers}}
    body: list[ast.stmt] = []
    for node in tree.body:
        name = getattr(node, "name", None)
        is_def = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        body.append(_stub(node, all_names[name]) if is_def and name in all_names else node)
    # After the docstring and `from __future__` imports, which must stay first.
    at = 0
    while at < len(body) and (
        (isinstance(body[at], ast.Expr) and isinstance(getattr(body[at], "value", None), ast.Constant))
        or (isinstance(body[at], ast.ImportFrom) and body[at].module == "__future__")
    ):
        at += 1
    body.insert(at, ast.parse(_STUB_IMPORT).body[0])
    tree.body = body
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def _question_stub(module_name: str) -> str:
    """Source of the grading stand-in of one question module."""
    from lepton_training.exercises import FunctionQuestion, Question

    module = importlib.import_module(module_name)
    lines = [
        f'"""Grading stand-in of {module_name}: it records answers for the grader and computes nothing."""',
        "from lepton_training.grading.recorder import RecordedQuestion as _Q",
        "from lepton_training.grading.recorder import lookup as _lookup",
        "from lepton_training.grading.recorder import not_while_grading as _not_while_grading",
        "from lepton_training.implementations import withheld as _lepton_withheld",
    ]
    names = []
    for name, value in vars(module).items():
        if isinstance(value, Question):
            names.append(name)
            lines.append(f"{name} = {_question_call(value, isinstance(value, FunctionQuestion))}")
    quizzes = getattr(module, "QUIZZES", None)
    if isinstance(quizzes, dict):
        lines.append(f"QUIZ_ASSIGNMENTS = {tuple(module.QUIZ_ASSIGNMENTS)!r}")
        lines.append("_QUIZ = {")
        for course_module, questions in quizzes.items():
            for q in questions:
                lines.append(f"    ({course_module!r}, {q.id!r}): {_question_call(q, False)},")
        lines.append("}")
        lines.append(
            "def grade(module, question):\n"
            "    q = _QUIZ[(module, question)]\n"
            "    return q.grade(_lookup(q.answer_name))"
        )
    lines.append(f"exercises = ({', '.join(names)}{',' if len(names) == 1 else ''})")
    lines.append("def progress():\n    return _not_while_grading('progress()')")
    lines.append(
        "def __getattr__(name):\n"
        "    if name.startswith('__'):\n"
        "        raise AttributeError(name)\n"
        f"    return lambda *args, **kwargs: _lepton_withheld({module_name + '.'!r} + name)"
    )
    return "\n".join(lines) + "\n"


def _question_call(q: Any, function: bool) -> str:
    from lepton_training.implementations import traced

    return (
        f"_Q(module={q.module!r}, id={q.id!r}, title={q.title!r}, answer_name={q.answer_name!r}, "
        f"function={function!r}, traced={traced(q.module, getattr(q, 'implementations', ()))!r})"
    )


def build_view(module_id: str, destination: str | Path) -> Path:
    """Write the grading view of the package for a module.

    Parameters
    ----------
    module_id : str
        The module being graded: its questions' implementations are withheld.
    destination : path-like
        An empty or missing folder; the view is written to ``<destination>/lepton_training``.

    Returns
    -------
    pathlib.Path
        The view's package folder, to bind over the installed package in the sandbox.
    """
    import pkgutil

    import lepton_training.questions as questions
    from lepton_training.grading.seeds import questions_of

    questions_of(module_id)  # its questions declare the implementations to withhold
    source = _package_folder()
    target = Path(destination) / "lepton_training"
    target.mkdir(parents=True, exist_ok=True)
    _copy_kept(source, target)
    for path, names in _withheld_by_file(module_id).items():
        relative = path.relative_to(source)
        (target / relative).write_text(_withhold(path, names), encoding="utf-8")
    (target / "questions").mkdir(exist_ok=True)
    (target / "questions" / "__init__.py").write_text('"""Grading stand-ins of the questions."""\n', "utf-8")
    for info in pkgutil.iter_modules(questions.__path__):
        stub = _question_stub(f"{questions.__name__}.{info.name}")
        (target / "questions" / f"{info.name}.py").write_text(stub, encoding="utf-8")
    return target
