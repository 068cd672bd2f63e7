# The national-scale benchmark (issue #6), included from the Makefile:
#   make bench             SIZE=S: about a minute; CI's smoke test
#   make bench SIZE=M      300 programs, 90,000 applications, 50,000 commits
#   make bench SIZE=L      3,000 programs, 1,350,000 applications, 300,000 commits
# It prints a table (tests/bench/RESULTS.md explains it) and keeps it, with
# the figures as JSON, in $(BENCH_WORK)/$(SIZE)/.  Nothing is asserted
# about speed: it fails only if something breaks.  Debian's hugo is
# installed when missing (as root; otherwise Hugo is left out).
SIZE       ?= S
BENCH_WORK ?= $(B)/bench

.PHONY: bench bench-deps
bench: deps bench-deps
	$(MAKE) --no-print-directory all
	GONGSHI_PKGS='$(PKGS) $(MALLOC_PKG)' python3 tests/bench/run.py $(SIZE) --work $(BENCH_WORK) --gongshi $(B)/gongshi

bench-deps:
	@command -v hugo >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends hugo; \
		else \
			echo "bench: Debian's hugo is not installed and this is not root: Hugo is left out" >&2; \
		fi; }
