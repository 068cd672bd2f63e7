#!/bin/sh
# Installs the Debian packages gongshi needs to build and to test.
# Runs as root on Debian 12; does nothing that is already done.
set -eu
pkgs="build-essential pkg-config git libgit2-dev libcmark-dev libcjson-dev nettle-dev check python3 python3-jsonschema valgrind"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing packages:$missing (run 'make deps' as root)" >&2
		exit 2
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing
fi
