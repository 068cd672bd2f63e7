# gongshi - see README.md.  Targets: all (default), deps, site, test,
# test-unit, test-e2e, check-demo, clean.
CC      ?= cc
CFLAGS  ?= -O2 -g
PKGS    := libgit2 libcmark libcjson nettle zlib
STD     := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# The gongshi binary allocates with jemalloc: a national record's history
# pass makes hundreds of millions of short-lived allocations beside a
# heap of gigabytes, where glibc's malloc spent a third of the time in
# its own bins (see README, Dependencies).  MALLOC=libc builds without it;
# sanitizer builds never link it, since ASan must see every allocation.
MALLOC  ?= jemalloc
MALLOC_PKG = $(if $(findstring sanitize,$(CFLAGS) $(LDFLAGS)),,$(filter jemalloc,$(MALLOC)))
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)
VERSION := 0.1.0

B       ?= build
SRCS    := $(filter-out generator/main.c,$(wildcard generator/*.c))
OBJS    := $(SRCS:generator/%.c=$(B)/obj/%.o) $(B)/obj/schemas.o $(B)/obj/theme.o
SCHEMAS := $(sort $(wildcard data/schema/*.schema.json))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
REPLAY_BINS := $(patsubst tests/fuzz/fuzz_%.c,$(B)/tests/replay_%,$(wildcard tests/fuzz/fuzz_*.c))
UNIT_BINS += $(REPLAY_BINS)

ALL_CFLAGS = $(STD) $(CFLAGS) $(PKG_CFLAGS) -DGONGSHI_VERSION='"$(VERSION)"' -iquote generator -iquote $(B)/gen

.PHONY: all deps site test test-suite test-unit test-e2e test-sanitize test-valgrind test-valgrind-demo check-demo clean
all: $(B)/gongshi

$(B)/obj/%.o: generator/%.c $(wildcard generator/*.h) | $(B)/obj
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The JSON Schemas and the default theme are compiled in, so the checker
# and editors read the very same rules, and a build needs no installed files.
THEME   := $(sort $(shell find themes/default -type f 2>/dev/null))
$(B)/gen/schemas.c: $(SCHEMAS) tests/tools/embed.sh | $(B)/gen
	sh tests/tools/embed.sh schema_sources schema_nsources data/schema $(SCHEMAS) > $@.tmp && mv $@.tmp $@
$(B)/gen/theme.c: $(THEME) tests/tools/embed.sh | $(B)/gen
	sh tests/tools/embed.sh theme_files theme_nfiles themes/default $(THEME) > $@.tmp && mv $@.tmp $@
$(B)/obj/%.o: $(B)/gen/%.c generator/embed.h | $(B)/obj
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libgongshi.a: $(OBJS)
	rm -f $@ && ar rcs $@ $(OBJS)

$(B)/gongshi: $(B)/obj/main.o $(B)/libgongshi.a
	@test -z "$(MALLOC_PKG)" || pkg-config --exists $(MALLOC_PKG) || \
		{ echo "libjemalloc-dev is missing: make deps (or make MALLOC=libc)" >&2; exit 1; }
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(if $(MALLOC_PKG),$(shell pkg-config --libs $(MALLOC_PKG) 2>/dev/null))

$(B)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(B)/libgongshi.a | $(B)/tests
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -iquote tests/unit -o $@ $< $(B)/libgongshi.a $(PKG_LIBS) $(CHECK_LIBS)

# Each libFuzzer target linked with replay.c instead of libFuzzer: `make
# test` runs every seed of tests/fuzz/corpus/NAME/ through it.
$(B)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(B)/libgongshi.a | $(B)/tests
	$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/replay.c $(B)/libgongshi.a $(PKG_LIBS)

$(B)/obj $(B)/gen $(B)/tests:
	mkdir -p $@

# Installs every Debian package needed to build, test and run (as root).
deps:
	sh tests/tools/deps.sh

# The demo site into public/: data/ replayed as a dated history
# (tests/tools/demo-repo.py), so that the site shows a real audit trail.
site: deps all
	python3 tests/tools/demo-repo.py $(B)/demo-repo
	$(B)/gongshi -C $(B)/demo-repo build -o public

# Everything CI proves (issues #2 to #5), each stage even after one fails:
# the suite, the suite again under ASan+UBSan, the demo build under
# valgrind, and every quality gate (tests/gates/README.md).  About 25
# minutes on 2 cores; `make test-suite` is the suite alone (a few minutes).
TEST_STAGES := test-suite test-sanitize test-valgrind-demo test-nginx test-html test-browser \
	test-a11y test-xss test-privacy test-corrupt fuzz-smoke
test: deps all $(UNIT_BINS) gates-deps
	MAKE='$(MAKE)' LABEL=total sh tests/gates/run.sh $(TEST_STAGES)

test-suite: all $(UNIT_BINS)
	sh tests/run.sh

test-unit: $(UNIT_BINS)
	sh tests/run.sh unit

test-e2e: all
	sh tests/run.sh e2e

# The whole suite again on an ASan+UBSan build, in its own build folder.
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
test-sanitize:
	$(MAKE) B=build/asan CFLAGS='$(SAN_FLAGS)' LDFLAGS='$(SAN_FLAGS)' all unit-bins
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		BUILD=build/asan sh tests/run.sh unit e2e

# The end-to-end cases and unit tests under valgrind memcheck (long).
test-valgrind: all $(UNIT_BINS)
	VALGRIND=1 sh tests/run.sh unit e2e

unit-bins: $(UNIT_BINS)

check-demo: all
	$(B)/gongshi check

include tests/gates/gates.mk
include tests/bench/bench.mk

clean:
	rm -rf $(B)
