# zzdata: Zhengzhou government reports as sourced tables and charts.
# `make help` lists the targets. Every target sets up the Python environment it needs:
# inside an active conda env or virtualenv it uses that; otherwise it creates .venv here.

.DEFAULT_GOAL := help
SHELL := /bin/bash

ifneq ($(strip $(CONDA_PREFIX)$(VIRTUAL_ENV)),)
  # An activated environment (e.g. `conda activate zzdata`): use it as it is.
  PYTHON := python
  ENV_STAMP := .env-active.stamp
else
  PYTHON := .venv/bin/python
  ENV_STAMP := .venv/.installed
endif
# The Python 3.11 that makes .venv (`make clean-env env BOOTSTRAP_PYTHON=/usr/bin/python3.11`). Its build matters:
# one compiled without PGO and LTO (pyenv's default) spends about a tenth more CPU on `make data` than
# python.org's, conda's or a distribution's build of the same version (README, Large collections).
BOOTSTRAP_PYTHON ?= python3

.PHONY: help env fonts add data test evaluate figures notebooks report lab bench readme clean clean-env review review-serve

help: ## List the targets with what each does
	@echo "zzdata: Zhengzhou government work reports as sourced tables and charts"
	@echo
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

# The package's bytecode is compiled once here, as pip does for a package it copies (not for an
# editable one): where PYTHONDONTWRITEBYTECODE is set (many containers), Python would otherwise
# compile every module of zzdata in every process it starts (0.03 s before `make data`'s workers
# start, as much again after). A module edited later is compiled when imported, as always.
.venv/.installed: pyproject.toml
	@test -x .venv/bin/python || $(BOOTSTRAP_PYTHON) -m venv .venv
	.venv/bin/python -m pip install --quiet --upgrade pip
	.venv/bin/python -m pip install --quiet -e ".[dev]"
	.venv/bin/python -m compileall -q zzdata
	@touch $@

.env-active.stamp: pyproject.toml
	@$(PYTHON) -c "import zzdata" 2>/dev/null || $(PYTHON) -m pip install --quiet --no-deps -e .
	$(PYTHON) -m compileall -q zzdata
	@touch $@

env: $(ENV_STAMP) ## Create .venv (or use the active conda env) and install the project

# The charts' CJK font, converted once into the user cache (zzdata/viz/fonts.py, about a minute):
# set up here, so no notebook waits for it. The stamp holds the fonts' paths; a missing font (a
# cleared cache), a reinstalled environment (a new mplfonts) or a new recipe makes them again.
FONT_STAMP := .fonts.stamp
$(FONT_STAMP): $(ENV_STAMP) zzdata/viz/fonts.py
	$(PYTHON) -m zzdata.viz.fonts --stamp $@

fonts: $(FONT_STAMP) ## Make the charts' Chinese font once (Noto Sans CJK SC as TrueType, in the user cache)
	@for f in $$(cat $(FONT_STAMP)); do test -f "$$f" || exec $(PYTHON) -m zzdata.viz.fonts --stamp $(FONT_STAMP); done

add: $(ENV_STAMP) ## Add downloaded reports: make add FILE="report.pdf page.html" [YES=1]
	@test -n "$(FILE)" || { echo 'usage: make add FILE="path/to/report.pdf [more files]" [YES=1]'; exit 2; }
	$(PYTHON) -m zzdata add $(FILE) $(if $(YES),--yes,)

data: $(ENV_STAMP) fonts ## Build data/processed/ from data/raw/ (incremental, atomic, checked) and set up the charts' font
	$(PYTHON) -m zzdata build

# The suite's processes: one per core by default (pytest-xdist); TEST_JOBS=0 runs it in this process.
TEST_JOBS ?= auto
test: data ## Run the whole test suite on every core (builds the data first; TEST_JOBS=1 for one worker)
	$(PYTHON) -m pytest -q $(if $(filter 0,$(TEST_JOBS)),,-n $(TEST_JOBS))

.PHONY: validate
validate: data ## Check the built tables (growth against levels, district above city, shares, ranges, jumps): reports/validation.md; fails on an error
	$(PYTHON) -m zzdata.validate --quiet

evaluate: data ## Compare the extracted facts with the hand-checked gold set
	$(PYTHON) -m zzdata evaluate

figures: data ## Execute every notebook headlessly and write reports/figures/
	$(PYTHON) -m zzdata notebooks

notebooks: figures ## Same as figures

report: data ## Every notebook as a standalone HTML page with its charts: reports/html/ (runs those not run since the last change)
	$(PYTHON) -m zzdata.tools.report

review: data ## Every report as a page with its figures marked (status, findings, choice, corrections): reports/review/index.html
	$(PYTHON) -m zzdata review

review-serve: data ## Serve the review pages on 127.0.0.1 with a form to correct each figure (prints the URL; Ctrl-C stops)
	$(PYTHON) -m zzdata review --serve

lab: data ## Open JupyterLab on the notebooks (each .py opens as a notebook)
	$(PYTHON) -m zzdata.tools.lab

bench: $(ENV_STAMP) fonts ## Time the build and `make data` on a synthetic 1,000-document collection (SIZES=250,500,1000: make data's series); then the charts per second, and those one added report draws again
	$(PYTHON) -m zzdata bench $(if $(SIZES),--sizes $(SIZES),)
	$(PYTHON) -m zzdata bench --charts

readme: $(ENV_STAMP) ## Rewrite the README's generated parts (rooms, column dictionaries, choice rule)
	$(PYTHON) -m zzdata.tools.readme

clean: ## Remove the built data, the caches in data/interim and the figures (keeps data/raw and .venv)
	rm -rf data/processed/* data/processed/.build-stamp.json data/.build-* data/interim reports/figures/*/ reports/figures/.reuse
	@touch data/processed/.gitkeep

clean-env: ## Remove .venv
	rm -rf .venv .env-active.stamp $(FONT_STAMP)
