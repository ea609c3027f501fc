# The two commands of the README: `make lab` (set up, build the learner release, open JupyterLab on the learner's
# working copy work/) and `make test` (set up, then every check CI runs). Both create the virtual environment when it is missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.lepton-installed
PORT ?= 8888
# Extra JupyterLab options, e.g. LAB_ARGS=--no-browser on a remote machine.
LAB_ARGS ?=
# pytest workers: the slow tests (real kernels, real nbgrader, a real browser) are independent of each other.
TEST_JOBS ?= 2
# JupyterLab refuses to run as root without this flag (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: setup lab update instructor-lab build test lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[instructor,test]'
	$(BIN)/lepton-training setup --force
	@touch $(STAMP)

build: setup
	$(BIN)/lepton-training build

# The learner's view: the working copy work/ (made from the release course/ on first launch, not tracked by git, so
# a `git pull` of a corrected release never conflicts with a learner's answers), without nbgrader's authoring and
# grading tools (its lab and server extensions are switched off by the extra config folder deploy/jupyter/laptop,
# first on the Jupyter config path).
LEARNER_CONFIG := $(CURDIR)/deploy/jupyter/laptop

lab: build
	$(BIN)/lepton-training update --no-pull
	JUPYTER_CONFIG_PATH=$(LEARNER_CONFIG)$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH),) \
	$(BIN)/jupyter lab --notebook-dir=work --port=$(PORT) $(ROOT_FLAG) $(LAB_ARGS)

# A corrected release: `git pull`, then merge it into work/ (your answers win, new cells arrive).
update: setup
	$(BIN)/lepton-training update

# The instructor's view: the whole repository (solutions/ and course/), with nbgrader's Create Assignment toolbar,
# Formgrader, Validate and Assignments.
instructor-lab: build
	$(BIN)/jupyter lab --notebook-dir=. --port=$(PORT) $(ROOT_FLAG) $(LAB_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/lepton-training build --check
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadgroup --durations=15 --junitxml=bench/results/junit-make-test.xml

# Benchmarks against the peers (otter-grader, installed by the benchmark into bench/.venvs/otter; stock nbgrader):
# writes bench/RESULTS.md. Its CI figures (the suite's time by test file) come from the newest junit XML, which
# `make test` writes; BENCH_ARGS="--ci run" runs the suite itself (and adds its time); BENCH_ARGS=--quick is a short
# look (under 3 minutes).
BENCH_ARGS ?=
.PHONY: bench
bench: setup
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The environment and caches only: a cohort's data (gradebook.db, submitted/, autograded/, feedback/, grades/,
# reports/, outbox/) is never removed by `make clean`; `make clean-gradebook` removes the gradebook after asking.
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

.PHONY: clean-gradebook
clean-gradebook:
	@test -e gradebook.db || { echo "No gradebook.db here: nothing to remove."; exit 0; }; \
	printf 'Remove gradebook.db, every grade of this cohort? Back it up first (docs/cohort.md). Type "delete grades": '; \
	read answer; \
	if [ "$$answer" = "delete grades" ]; then rm -f gradebook.db && echo "Removed gradebook.db."; \
	else echo "Kept gradebook.db."; exit 1; fi
