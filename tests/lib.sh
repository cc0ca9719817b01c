# lib.sh — TAP helpers for chanlab's shell tests (sourced by tests/*.t).
# Tests run from the repository root with $B set to the build folder.
B=${B:-build}
CHANLAB=$PWD/$B/chanlab
TMP=$(mktemp -d "${TMPDIR:-/tmp}/chanlab-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
n=0
failed=0

plan() { echo "1..$1"; }
ok() {   # ok CONDITION-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
is() {   # is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then ok 0 "$3"; else ok 1 "$3"; printf '#   got:  %s\n#   want: %s\n' "$1" "$2"; fi
}
like() { # like GOT PATTERN DESCRIPTION (grep -E)
	if printf '%s' "$1" | grep -Eq -- "$2"; then ok 0 "$3"; else ok 1 "$3"; printf '%s\n' "$1" | sed 's/^/#   /' | head -20; fi
}
finish() { exit $((failed > 0)); }
