#!/bin/sh
# data/articles.md agrees with the measures' texts, the rules and the cases.
cd "$(dirname "$0")/../.."
exec python3 tests/tools/articles.py "${GONGSHI:-build/gongshi}"
