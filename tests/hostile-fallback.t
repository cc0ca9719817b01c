#!/usr/bin/env bash
# The sandbox without namespaces (as on a kernel that refuses them): the
# same unit test, forced into proc's fallback. Daemons and fork bombs must
# still be contained and cleaned up, and the missing isolation is said.
B=${B:-build}
CHANLAB_NO_NAMESPACES=1 exec "$B/tests/unit/checker_sandbox"
