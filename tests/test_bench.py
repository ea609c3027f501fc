"""The benchmark driver (bench/run.py): its quick path writes a well-formed RESULTS section.

One cheap benchmark (LP scaling, two tiny sizes) through the real driver, no peers installed; nothing here
asserts a time.
"""

import importlib.util
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _driver():
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module
    spec.loader.exec_module(module)
    return module


def test_quick_lp_section_is_well_formed(tmp_path):
    run = _driver()
    out = tmp_path / "RESULTS.md"
    argv = ["--quick", "--only", "lp", "--no-peers", "--keep-openblas-env", "--out", str(out)]
    argv += ["--set", "lp_sizes=5,10", "--set", "lp_repeat=2"]
    assert run.main(argv, log=lambda message: None) == 0
    text = out.read_text()

    assert text.startswith("# Benchmark results\n")
    assert re.search(r"- Commit measured: `[0-9a-f]{7,}`", text)
    assert "- Cores: " in text and "- Libraries: " in text and "Load averages (1, 5, 15 min)" in text
    assert "## Targets" in text and "| lp | LP solve up to 100,000 variables |" in text

    section = text.split("## LP scaling (module 05)\n", 1)[1]
    assert "**Failed:**" not in section
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| variables | rows | build | solve |")
    sizes = [row for row in rows if re.match(r"\| (100|200) \|", row)]
    assert len(sizes) == 2
    # Each figure is a median with its spread over the runs: "0.25 ms (0.24–0.42, n=2)".
    assert all(re.search(r"\d+\.\d+ ms \(\d+\.\d+–\d+\.\d+, n=2\)", row) for row in sizes)
    assert re.search(r"\*\*Bounded by:\*\* HiGHS's solve", section)
    assert "sizes up to 200 variables in this run" in section
