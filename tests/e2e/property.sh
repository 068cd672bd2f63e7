#!/bin/sh
# The property test (tests/property/test_property.py): random records and
# histories, check passes => build succeeds, no private value in the site,
# a rebuild equals a clean build.  PROPERTY_CASES=N for more (make fuzz).
exec python3 "$(dirname "$0")/../property/test_property.py" "${GONGSHI:-build/gongshi}"
