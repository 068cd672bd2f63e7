#!/bin/sh
# What a one-record commit changes in the search index (issue #22): tests/build/test_search_shards.py on the demo record.
exec python3 "$(dirname "$0")/../build/test_search_shards.py" "${GONGSHI:-build/gongshi}"
