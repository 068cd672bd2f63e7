#!/bin/sh
# Installs the Debian packages gongshi needs to build and to test.
# Runs as root on Debian 12; does nothing that is already done.
# Usage: deps.sh [gates]   "gates" adds what the quality gates of
# tests/gates/ need (nginx, Chromium and CJK fonts, pdftotext, Java for the Nu
# checker, clang's libFuzzer, Node.js and npm), so that `make site` on a
# fresh machine does not pull in a browser.
set -eu
pkgs="build-essential pkg-config git libgit2-dev libcmark-dev libcjson-dev nettle-dev libjemalloc-dev libgpgme-dev libmicrohttpd-dev gnupg openssh-client check python3 python3-jsonschema valgrind strace mandoc"
if [ "${1:-}" = gates ]; then
	pkgs="$pkgs nginx chromium fonts-noto-cjk default-jre-headless clang libclang-rt-dev poppler-utils"
	# A machine may already have Node.js from elsewhere (with its own npm,
	# which conflicts with Debian's npm package): only install Debian's
	# when there is no npm at all.
	command -v npm >/dev/null 2>&1 || pkgs="$pkgs nodejs npm"
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing packages:$missing (run 'sh tests/tools/deps.sh ${1:-}' as root)" >&2
		exit 2
	fi
	export DEBIAN_FRONTEND=noninteractive
	# Installing nginx would start it on port 80 as a system service; the
	# gates start their own.  policy-rc.d (if none is there) stops that.
	policy=""
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		policy=/usr/sbin/policy-rc.d
		printf '#!/bin/sh\nexit 101\n' > "$policy"
		chmod 755 "$policy"
		trap 'rm -f "$policy"' EXIT
	fi
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing
fi
