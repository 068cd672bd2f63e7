# gongshi - see README.md.  Targets: all (default), deps, site, test,
# test-suite, test-unit, test-e2e, check-demo, install, uninstall, clean.
CC      ?= cc
CFLAGS  ?= -O2 -g
PKGS    := libgit2 libcmark libcjson nettle zlib gpgme libmicrohttpd
STD     := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
PREFIX  ?= /usr/local
DESTDIR ?=
# pkg-config is asked when a flag is first used, not when this file is
# read: on a new machine `make site` reads it before `deps` has installed
# pkg-config and the -dev packages, and flags computed then would be empty
# for the whole run (the link failed with undefined references).  The
# value is kept after the first call ($(eval) turns the variable simple).
# `site`, `test` and `bench` also run their builds in a make started after
# `deps`, so that `make -j` cannot compile anything before it.
pkgconf = $(if $(shell pkg-config --exists $2 2>/dev/null && echo y),$(shell pkg-config $1 $2),\
	$(error pkg-config or a -dev package of "$2" is missing: run 'make deps' as root, or install the packages of tests/tools/deps.sh))
PKG_CFLAGS = $(eval PKG_CFLAGS := $(call pkgconf,--cflags,$(PKGS)))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $(call pkgconf,--libs,$(PKGS)))$(PKG_LIBS)
# The gongshi binary allocates with jemalloc: a national record's history
# pass makes hundreds of millions of short-lived allocations beside a
# heap of gigabytes, where glibc's malloc spent a third of the time in
# its own bins (see README, Dependencies).  MALLOC=libc builds without it;
# sanitizer builds never link it, since ASan must see every allocation.
MALLOC  ?= jemalloc
MALLOC_PKG = $(if $(findstring sanitize,$(CFLAGS) $(LDFLAGS)),,$(filter jemalloc,$(MALLOC)))
CHECK_CFLAGS = $(eval CHECK_CFLAGS := $(call pkgconf,--cflags,check))$(CHECK_CFLAGS)
CHECK_LIBS   = $(eval CHECK_LIBS := $(call pkgconf,--libs,check))$(CHECK_LIBS)
VERSION := 0.1.0

B       ?= build
SRCS    := $(filter-out generator/main.c,$(wildcard generator/*.c))
OBJS    := $(SRCS:generator/%.c=$(B)/obj/%.o) $(B)/obj/schemas.o $(B)/obj/theme.o $(B)/obj/calendars.o \
	   $(B)/obj/skeleton.o
SCHEMAS := $(sort $(wildcard data/schema/*.schema.json))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
REPLAY_BINS := $(patsubst tests/fuzz/fuzz_%.c,$(B)/tests/replay_%,$(wildcard tests/fuzz/fuzz_*.c))
UNIT_BINS += $(REPLAY_BINS)

ALL_CFLAGS = $(STD) $(CFLAGS) $(PKG_CFLAGS) -DGONGSHI_VERSION='"$(VERSION)"' -iquote generator -iquote $(B)/gen

.PHONY: all deps site test test-suite test-unit test-e2e test-sanitize test-valgrind test-valgrind-demo check-demo print-pkgs \
	install uninstall test-man clean
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
# gongshi init writes these into a new record: the working-day calendars
# (from holiday-cn, MIT) and the skeleton files of generator/skeleton/.
CALENDARS := $(sort $(wildcard data/calendars/*.json))
SKELETON  := $(sort $(wildcard generator/skeleton/*))
$(B)/gen/calendars.c: $(CALENDARS) tests/tools/embed.sh | $(B)/gen
	sh tests/tools/embed.sh calendar_files calendar_nfiles data/calendars $(CALENDARS) > $@.tmp && mv $@.tmp $@
$(B)/gen/skeleton.c: $(SKELETON) tests/tools/embed.sh | $(B)/gen
	sh tests/tools/embed.sh skeleton_files skeleton_nfiles generator/skeleton $(SKELETON) > $@.tmp && mv $@.tmp $@
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
site: deps
	$(MAKE) --no-print-directory all
	python3 tests/tools/demo-repo.py $(B)/demo-repo
	$(B)/gongshi -C $(B)/demo-repo build -o public

# Everything CI proves (issues #2 to #5), each stage even after one fails:
# the suite, the suite again under ASan+UBSan, the demo build under
# valgrind, and every quality gate (tests/gates/README.md).  About 25
# minutes on 2 cores; `make test-suite` is the suite alone (a few minutes).
TEST_STAGES := test-suite test-man test-sanitize test-valgrind-demo test-nginx test-html test-browser \
	test-a11y test-xss test-reload test-privacy test-search test-corrupt fuzz-smoke
test: deps
	$(MAKE) --no-print-directory all unit-bins gates-deps
	MAKE='$(MAKE)' LABEL=total sh tests/gates/run.sh $(TEST_STAGES)

test-suite: all $(UNIT_BINS)
	sh tests/run.sh

test-unit: $(UNIT_BINS)
	sh tests/run.sh unit

test-e2e: all
	sh tests/run.sh e2e

# The whole suite again on an ASan+UBSan build, in its own build folder;
# the property test there makes 250 commits (1,000 in test-suite): each
# is several builds, and ASan's are slower.
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
test-sanitize:
	$(MAKE) B=build/asan CFLAGS='$(SAN_FLAGS)' LDFLAGS='$(SAN_FLAGS)' all unit-bins
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 PROPERTY_CASES=$${PROPERTY_CASES:-250} \
		BUILD=build/asan sh tests/run.sh unit e2e

# The end-to-end cases and unit tests under valgrind memcheck (long).
test-valgrind: all $(UNIT_BINS)
	VALGRIND=1 PROPERTY_CASES=$${PROPERTY_CASES:-50} sh tests/run.sh unit e2e

unit-bins: $(UNIT_BINS)

# The pkg-config packages the build links, for tools outside make
# (tests/bench/run.py run by hand).
print-pkgs:
	@echo $(PKGS)

check-demo: all
	$(B)/gongshi check

# The man pages: mandoc's lint, where any warning fails the stage, and
# `make install` into a scratch DESTDIR, rendered and uninstalled again.
MANPAGES := generator/gongshi.1 data/gongshi-record.5
test-man: all
	sh tests/gates/man.sh

install: all
	install -d '$(DESTDIR)$(PREFIX)/bin' '$(DESTDIR)$(PREFIX)/share/man/man1' '$(DESTDIR)$(PREFIX)/share/man/man5'
	install -m 755 $(B)/gongshi '$(DESTDIR)$(PREFIX)/bin/gongshi'
	install -m 644 generator/gongshi.1 '$(DESTDIR)$(PREFIX)/share/man/man1/gongshi.1'
	install -m 644 data/gongshi-record.5 '$(DESTDIR)$(PREFIX)/share/man/man5/gongshi-record.5'

uninstall:
	rm -f '$(DESTDIR)$(PREFIX)/bin/gongshi' '$(DESTDIR)$(PREFIX)/share/man/man1/gongshi.1' \
		'$(DESTDIR)$(PREFIX)/share/man/man5/gongshi-record.5'

include tests/gates/gates.mk
include tests/bench/bench.mk

clean:
	rm -rf $(B)
