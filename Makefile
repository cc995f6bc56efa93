# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
NODESTAMP := hooks/node_modules/.installed

.PHONY: setup demo test bench clean agent system-deps messages

setup: $(STAMP) $(NODESTAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,all]'    # every extra: device, proxy, fleet
	touch $@

# npm packages of the Frida agent (frida-java-bridge, @types/frida-gum, typescript); only needed to rebuild
# the agent and for the stale-bundle test: the compiled agent ships inside the package.
$(NODESTAMP): hooks/package.json hooks/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix hooks --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: agent sources cannot be rebuilt (the shipped bundle is used)"; fi

# Debian tools for fixture APK rebuilds (smali, aapt, apksigner, zipalign) and Chromium (HTML report tests).
system-deps:
	@bash tools/system-deps.sh

demo: setup system-deps
	$(BIN)/python tools/demo.py

test: setup system-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: setup system-deps
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

agent: setup
	$(BIN)/python -m sdkgate.dynamic.build

# the message catalogue: new ids added, unused ones dropped, the .mo compiled; lists what needs a translation
messages: setup
	$(BIN)/python tools/messages.py

clean:
	rm -rf $(VENV) hooks/node_modules out build *.egg-info
