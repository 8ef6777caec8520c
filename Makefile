# Two commands for a fresh machine with Python 3.11+:
#   make lab    create .venv, install everything, serve JupyterLab on notebooks/ (port $JUPYTER_PORT, default 8888)
#   make test   same install, then every test: unit tests, the notebook files, binder/, the widgets in
#               headless Chromium (skipped without Debian's chromium: apt-get install chromium) and
#               strict nbval over the notebooks
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed
JUPYTER_PORT ?= 8888
JUPYTER_IP   ?= 127.0.0.1
# make lab LAB_DIR=student serves the student edition instead
LAB_DIR      ?= notebooks
NOTEBOOKS    = $(sort $(wildcard notebooks/*.ipynb))

.PHONY: install lab test test-code test-notebooks notebooks student bench bench-notebooks bench-views clean

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml binder/overrides.json binder/page_config.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed, $(PYTHON) is " + sys.version.split()[0] + "; run make PYTHON=python3.11 ...")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp binder/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	mkdir -p $(VENV)/etc/jupyter/labconfig
	cp binder/page_config.json $(VENV)/etc/jupyter/labconfig/page_config.json
	touch $(STAMP)

lab: install
	@echo "Open $(notdir $(firstword $(NOTEBOOKS))) first (the others build on it); the URL with its token follows."
	$(VENV)/bin/jupyter lab --no-browser --allow-root --ip=$(JUPYTER_IP) --port=$(JUPYTER_PORT) --notebook-dir=$(LAB_DIR)

NBVAL = --nbval $(NOTEBOOKS) --nbval-sanitize-with tests/nbval_sanitize.cfg

# Every test, in two streams side by side (2 cores; each stream's output is printed when it ends):
#   test-code       the unit tests, the notebook files, the student edition (executed), Binder;
#                   then strict nbval with one BLAS thread
#   test-notebooks  strict nbval with two BLAS threads, then the widgets in headless Chromium
# The printed numbers must not depend on the thread count (float32 sums may differ in their last
# digits; the notebooks print few), hence nbval with both.
test: install
	@echo "make test: two streams, test-code and test-notebooks; each prints its output when it ends"
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-code test-notebooks

test-code: install
	OPENBLAS_NUM_THREADS=2 $(PY) -m pytest -p no:cacheprovider tests -m "not browser"
	$(if $(NOTEBOOKS),OPENBLAS_NUM_THREADS=1 $(PY) -m pytest -q -p no:cacheprovider $(NBVAL))

test-notebooks: install
	$(if $(NOTEBOOKS),OPENBLAS_NUM_THREADS=2 $(PY) -m pytest -q -p no:cacheprovider $(NBVAL))
	$(PY) -m pytest -p no:cacheprovider tests/notebooks/test_browser.py

# Re-execute every notebook in place, top to bottom, storing the outputs nbval compares.
notebooks: install
	$(if $(NOTEBOOKS),$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace $(NOTEBOOKS),@echo "no notebooks yet")

# The student edition: student/ = notebooks/ with every exercise's solution replaced by a placeholder
# (committed; tests/notebooks/test_student_edition.py checks it is in sync). Run after editing a notebook.
student: install
	$(PY) scripts/make_student.py

bench: install
	$(PY) benchmarks/bench_training.py

# Wall time and peak kernel memory of every notebook against the budget (20 s, 500 MB each; 90 s in all).
bench-notebooks: install
	$(PY) benchmarks/bench_notebooks.py

# every interaction of every view: the variance explorer's corners, then the other views
bench-views: install
	$(PY) benchmarks/bench_explorer.py
	$(PY) benchmarks/bench_views.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
