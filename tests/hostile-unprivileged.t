#!/usr/bin/env bash
# The sandbox as an ordinary user (nobody), the way a learner runs chanlab
# on Debian 12: with user namespaces, and forced into the fallback. Runs
# only where the test suite itself runs as root (to become nobody).
B=${B:-build}
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
	echo "1..0 # SKIP needs root and setpriv to become an unprivileged user"
	exit 0
fi
T=$(mktemp -d /tmp/chanlab-unpriv.XXXXXX)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
cp "$B/tests/unit/checker_sandbox" "$T/"
chmod 755 "$T/checker_sandbox"
cd "$T" || exit 1
echo "1..2"
as_nobody() { env "$@" setpriv --reuid=65534 --regid=65534 --clear-groups "$T/checker_sandbox"; }
out=$(as_nobody TMPDIR=/tmp 2>&1)
if ! printf '%s\n' "$out" | grep -q '^not ok' && printf '%s\n' "$out" | grep -q '^ok 19'; then
	echo "ok 1 - every sandbox test passes as an unprivileged user, with namespaces"
else
	echo "not ok 1 - the sandbox as an unprivileged user"; printf '%s\n' "$out" | sed 's/^/# /'
fi
out=$(as_nobody TMPDIR=/tmp CHANLAB_NO_NAMESPACES=1 2>&1)
if ! printf '%s\n' "$out" | grep -q '^not ok' && printf '%s\n' "$out" | grep -q '^ok 19'; then
	echo "ok 2 - and without namespaces (fork bomb held by RLIMIT_NPROC, daemons swept)"
else
	echo "not ok 2 - the sandbox fallback as an unprivileged user"; printf '%s\n' "$out" | sed 's/^/# /'
fi
