#!/bin/sh
# Installs the gates' Node packages (playwright-core, axe-core, vnu-jar) from
# package-lock.json with `npm ci`, into tests/gates/node_modules/; does
# nothing when they are already those of the lock file.
set -eu
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
	echo "npm-deps: no npm; run 'sh tests/tools/deps.sh gates' as root" >&2
	exit 2
fi
stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	exit 0
fi
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime of
# its own (Debian's is used; the machine reaches no such host), and none of
# the three needs a build step.  playwright-core downloads no browser:
# Debian's chromium is used.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund
echo "$want" > "$stamp"
