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
NOTEBOOKS    = $(sort $(wildcard notebooks/*.ipynb))

.PHONY: install lab test notebooks bench bench-notebooks clean

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed, $(PYTHON) is " + sys.version.split()[0] + "; run make PYTHON=python3.11 ...")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

lab: install
	$(VENV)/bin/jupyter lab --no-browser --allow-root --ip=$(JUPYTER_IP) --port=$(JUPYTER_PORT) --notebook-dir=notebooks

NBVAL = --nbval $(NOTEBOOKS) --nbval-sanitize-with tests/nbval_sanitize.cfg

# Every test with two BLAS threads, then strict nbval again with one: the printed numbers must not
# depend on the thread count (float32 sums may differ in their last digits; notebooks print few).
test: install
	OPENBLAS_NUM_THREADS=2 $(PY) -m pytest tests $(if $(NOTEBOOKS),$(NBVAL))
	$(if $(NOTEBOOKS),OPENBLAS_NUM_THREADS=1 $(PY) -m pytest -q -p no:cacheprovider $(NBVAL))

# Re-execute every notebook in place, top to bottom, storing the outputs nbval compares.
notebooks: install
	$(if $(NOTEBOOKS),$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace $(NOTEBOOKS),@echo "no notebooks yet")

bench: install
	$(PY) benchmarks/bench_training.py

# Wall time and peak kernel memory of every notebook against the budget (20 s, 500 MB each; 90 s in all).
bench-notebooks: install
	$(PY) benchmarks/bench_notebooks.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
