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
    # CPU time beside wall time: in every figure that carries it, for the whole script, and per section.
    assert re.search(r"The whole script .*: \d+\.\d+ s \(n=1\); CPU \d+\.\d+ s", section)
    assert re.search(r"_Section wall time \d+ s, CPU time \d+ s", section)


def test_timed_figures_carry_cpu_time():
    run = _driver()
    took = run.timed_run([sys.executable, "-c", "sum(range(3_000_000))"])
    assert isinstance(took, float) and took.cpu > 0
    text = run.fig([run.Timed(1.0, 0.5), run.Timed(3.0, 0.7), run.Timed(2.0, 0.6)])
    assert text == "2.00 s (1.00–3.00, n=3); CPU 0.60 s (0.50–0.70)"
    assert run.fig([1.0, 2.0]) == "1.50 s (1.00–2.00, n=2)"  # a figure without CPU time says nothing of it


def test_merge_replaces_only_the_sections_run(tmp_path):
    run = _driver()
    out = tmp_path / "RESULTS.md"
    argv = ["--quick", "--only", "lp", "--no-peers", "--keep-openblas-env", "--out", str(out)]
    argv += ["--set", "lp_sizes=5,10", "--set", "lp_repeat=2"]
    old = (
        "# Benchmark results\n\nWritten by `bench/run.py` (full mode) on 2026-01-01 10:00 UTC, in 9 min.\n\n"
        "- Commit measured: `abc1234`, working tree clean\n\n## Targets\n\n"
        "| benchmark | target | goal | measured | met |\n| --- | --- | --- | --- | --- |\n"
        "| startup | import | < 100 ms | 5 ms | yes |\n| lp | old lp row | x | y | yes |\n\n"
        "## Start-up\n\nold start-up figures\n\n## LP scaling (module 05)\n\nold lp figures\n"
    )
    out.write_text(old)
    assert run.main([*argv, "--merge"], log=lambda message: None) == 0
    text = out.read_text()
    assert text.count("## Start-up") == 1 and "old start-up figures" in text
    assert "_Kept from an earlier run" in text.split("## Start-up", 1)[1].split("## ", 1)[0]
    assert "old lp figures" not in text and "old lp row" not in text
    assert "| startup | import | < 100 ms | 5 ms | yes |" in text
    assert "| lp | LP solve up to 100,000 variables |" in text
    assert "Sections re-measured in this run: lp. Kept from earlier runs, each saying which: startup." in text
    assert "abc1234" in text.split("## Start-up", 1)[1]


def test_sentiment_bench_table_and_sign_test():
    sys.path.insert(0, str(REPO / "bench"))
    import bench_sentiment as bs

    errors = {g: (1, 4) for g in bs.GROUPS}
    data = {
        "n": 40,
        "runs": 1,
        "results": [
            {
                "name": "report model",
                "errors": errors,
                "wrong": [1] * 12 + [0] * 28,
                "label_s": [0.1],
                "label_cpu_s": [0.05],
            },
            {"name": "other", "errors": errors, "wrong": [0] * 40, "label_s": [0.2], "label_cpu_s": [0.1]},
            {"name": "missing one", "missing": "not installed (snownlp)"},
        ],
    }
    lines = bs.table(data)
    assert lines[0].startswith("| analyser | all error | en error | zh error")
    assert "25.0% (1/4)" in lines[2] and "100 ms, 50 ms" in lines[2] and "not installed (snownlp)" in lines[4]
    # "other" is right on 12 comments the report model misses and wrong on none it gets: significantly better.
    assert [b[0] for b in bs.better_than(data)] == ["other"]
    data["results"][1]["wrong"] = [0] * 12 + [1] * 8 + [0] * 20  # right on 12 it misses, wrong on 8 it gets
    assert bs.better_than(data) == []
