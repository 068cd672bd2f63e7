#!/bin/sh
# A site's theme overrides every template and asset of the default theme (tests/theme/test_theme.py).
exec python3 "$(dirname "$0")/../theme/test_theme.py" "${GONGSHI:-build/gongshi}"
