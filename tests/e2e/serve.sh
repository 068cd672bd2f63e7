#!/bin/sh
# gongshi serve over HTTP on a free loopback port (issue #21):
# tests/serve/test_serve.py.
exec python3 tests/serve/test_serve.py "${GONGSHI:-build/gongshi}"
