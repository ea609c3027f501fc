"""The grading settings of ``jupyter_config.py`` (section ``c.LeptonGrading``), read and type-checked by traitlets."""

from __future__ import annotations

from traitlets import Int, Unicode
from traitlets.config import Configurable

__all__ = ["LeptonGrading"]


class LeptonGrading(Configurable):
    """How ``lepton-training grade`` runs: the cohort's secret, the sandbox's limits, the workers."""

    cohort_secret = Unicode(
        "",
        help="Secret of this cohort: hidden tests' seeds are derived from it, so feedback shown to one cohort "
        "does not reveal the next one's hidden inputs. Empty: the seeds written in the instructor's notebook.",
    ).tag(config=True)
    notebook_timeout = Int(300, help="Seconds one notebook may run in all (c.Execute.timeout bounds one cell).").tag(
        config=True
    )
    memory_mb = Int(2048, help="Memory of a grading kernel and all its processes together, in MiB.").tag(config=True)
    max_processes = Int(64, help="Processes and threads a grading kernel may have at once.").tag(config=True)
    output_bytes = Int(2_000_000, help="Output a notebook may send while it runs; the rest is dropped.").tag(
        config=True
    )
    cpu_seconds = Int(600, help="CPU seconds per kernel process.").tag(config=True)
    jobs = Int(2, help="Notebooks graded at once, by default.").tag(config=True)
    scratch_dir = Unicode(
        "/tmp",
        help="Where each run makes its private scratch folder (learners' copies, private gradebooks, kernel "
        "sockets). Keep the path short: a Unix socket path has at most 107 bytes. A run that was killed leaves "
        "its folder behind; the next run removes it.",
    ).tag(config=True)
