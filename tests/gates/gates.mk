# Quality gates (issue #5): included from the Makefile.  Each gate is one
# target and closes with "NAME: N passed, M failed"; test-gates runs them
# all (tests/gates/run.sh) and closes with "gates: N passed, M failed".
# How to run each alone: tests/gates/README.md.

.PHONY: gates-deps test-gates test-nginx test-html test-browser test-a11y test-xss test-reload \
	test-privacy test-search test-corrupt test-valgrind-demo test-mutants fuzz-build fuzz-smoke fuzz

# The gates run the binary of this build folder, on the demo site as
# `make site` publishes it: from a repository whose history
# tests/tools/demo-repo.py writes from data/ -- once, again only when the
# record, the content or the script change.
GATES_DEMO := $(B)/gates/demo-repo
GATES_ENV  := GONGSHI=$(B)/gongshi GATE_DEMO_REPO=$(GATES_DEMO)

$(GATES_DEMO).stamp: tests/tools/demo-repo.py $(shell find data content -type f 2>/dev/null)
	mkdir -p $(B)/gates
	python3 tests/tools/demo-repo.py $(GATES_DEMO) >/dev/null
	touch $@

# Debian packages (nginx, chromium, Java, clang, Node.js; as root) and the
# Node packages of tests/gates/package-lock.json; both do nothing when done.
gates-deps:
	sh tests/tools/deps.sh gates
	sh tests/gates/npm-deps.sh

test-gates: gates-deps all
	MAKE='$(MAKE)' sh tests/gates/run.sh

# nginx with themes/default/nginx.conf: every file of SHA256SUMS, its
# type, headers and hash; the 404 page.
test-nginx: gates-deps all $(GATES_DEMO).stamp
	$(GATES_ENV) python3 tests/gates/test_nginx.py

# The Nu HTML Checker on every page and the stylesheet; feeds, sitemap,
# JSON and CSV parsed.
test-html: gates-deps all $(GATES_DEMO).stamp
	$(GATES_ENV) python3 tests/gates/test_html.py

# Chromium through nginx: every page without console errors, failed or
# external requests, or horizontal scrolling at 360 px; screenshots of
# each page type and a printed notice in $(B)/screenshots/.
test-browser: gates-deps all $(GATES_DEMO).stamp
	$(GATES_ENV) SCREENSHOTS=$(B)/screenshots python3 tests/gates/serve.py demo -- node tests/gates/browser.mjs pages

# axe-core, WCAG 2.0 and 2.1 A and AA, on every page.
test-a11y: gates-deps all $(GATES_DEMO).stamp
	$(GATES_ENV) python3 tests/gates/serve.py demo -- node tests/gates/browser.mjs a11y

# search/ in Chromium (issue #22): every organization, award and notice
# found by a piece of its name, certificate numbers, axe, no JavaScript,
# 360 px, keyboard; ESLint on the script; reports query time and bytes.
test-search: gates-deps all $(GATES_DEMO).stamp
	$(GATES_ENV) python3 tests/gates/serve.py demo -- node tests/gates/search.mjs

# gongshi serve in Chromium (issue #21): an open page reloads after a
# save, with no console error; prints the time from save to reload.
test-reload: gates-deps all $(GATES_DEMO).stamp
	rm -rf $(B)/gates/reload-repo && cp -r $(GATES_DEMO) $(B)/gates/reload-repo
	node tests/gates/reload.mjs $(B)/gongshi $(B)/gates/reload-repo
	rm -rf $(B)/gates/reload-repo

# A record with payloads in every text field: none runs in the browser.
test-xss: gates-deps all
	$(GATES_ENV) python3 tests/gates/serve.py xss -- node tests/gates/browser.mjs xss

# A marker in every private field: none in any response through nginx.
test-privacy: gates-deps all
	$(GATES_ENV) python3 tests/gates/test_privacy.py

# The demo build under valgrind memcheck: zero errors, zero bytes
# definitely lost, and byte for byte the site of a build without it.
test-valgrind-demo: all $(GATES_DEMO).stamp
	$(GATES_ENV) sh tests/gates/valgrind-demo.sh

# Corrupt git objects: exit 1 or 2 with a message, the old site untouched.
test-corrupt: gates-deps all
	$(GATES_ENV) python3 tests/gates/test_corrupt.py

# libFuzzer targets (tests/fuzz/fuzz_*.c) with ASan and UBSan.  The
# generator is built with clang into its own folder through the
# Makefile's rules, and each target links what it uses from the archive.
FUZZ_B       := build/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(FUZZ_B)/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 30

fuzz-build: gates-deps
	$(MAKE) --no-print-directory B=$(FUZZ_B) CC=clang CFLAGS='-g -O1 -fsanitize=fuzzer-no-link $(FUZZ_SAN)' \
		LDFLAGS= $(FUZZ_B)/libgongshi.a
	$(MAKE) --no-print-directory $(FUZZ_TARGETS)

$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_B)/libgongshi.a
	clang $(STD) -g -O1 -fsanitize=fuzzer $(FUZZ_SAN) $(PKG_CFLAGS) -iquote generator -iquote $(FUZZ_B)/gen \
		-o $@ $< $(FUZZ_B)/libgongshi.a $(PKG_LIBS)

# Each target for FUZZ_SMOKE_SECONDS (CI), or for FUZZ_SECONDS:
#   make fuzz FUZZ_SECONDS=3600
fuzz-smoke: fuzz-build
	sh tests/gates/fuzz.sh fuzz-smoke $(FUZZ_SMOKE_SECONDS)

# `make fuzz` also runs the property test of random records and histories
# (tests/property/) with PROPERTY_CASES commits, 1,000 in `make test`.
PROPERTY_CASES ?= 20000
fuzz: fuzz-build all
	sh tests/gates/fuzz.sh fuzz $(FUZZ_SECONDS)
	PROPERTY_CASES=$(PROPERTY_CASES) python3 tests/property/test_property.py $(B)/gongshi

# The tests of the tests: each kind of check above, broken on purpose in a
# copy of HEAD, must turn `make test` restricted to its stage red.
test-mutants: gates-deps
	sh tests/gates/mutants.sh
