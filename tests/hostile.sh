# hostile.sh — what the hostile suites that run chanlab as the caller and
# as an ordinary user share (sourced after tests/lib.sh): $users, the user
# switch, and a home with the hostile pack's program exercise in it.
# Each suite sets $U (the user's folder), $H (the chanlab home) and $PACK.
users=caller
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then users="caller nobody"; fi
chmod 755 "$TMP"

# as WHO CMD...: runs CMD as the caller or as nobody, with HOME=$U/userhome,
# without namespaces when $mode is plain (test names carry $mode when set).
as() {
	local who=$1 ns=; shift
	[ "$mode" = plain ] && ns=CHANLAB_NO_NAMESPACES=1
	if [ "$who" = nobody ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$U/userhome" TMPDIR=/tmp $ns "$@"
	else
		env HOME="$U/userhome" $ns "$@"
	fi
}

# prog WHO FILE SED: puts tests/hostile/FILE, with SED applied, as the learner's program.
prog() { sed "$3" "tests/hostile/$2" >"$H/work/program/prog.c"; }
check() {  # check WHO: sets $json and $out (what the program printed)
	json=$(as "$1" "$CHANLAB" --home "$H" check --json --pack="$PACK" program 2>&1)
	out=$(printf '%s' "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("\n".join(t["output"] + t["message"] for t in d["tests"]))' 2>&1)
}
sound() {  # sound WHO [DESCRIPTION]: a program that does nothing passes
	printf '#include <go.h>\nint go_main(int c, char **v) { (void)c, (void)v; return 0; }\n' >"$H/work/program/prog.c"
	check "$1"
	local what=${2:-"chanlab's next check still works"}
	like "$json" '"status":"pass"' "$1${mode:+ $mode}: $what"
}
fresh() {  # fresh WHO N: a new chanlab home $H with one attempt recorded
	H=$U/home$2 && mkdir -p "$H/work/program"
	[ "$1" = nobody ] && chown -R 65534:65534 "$H"
	sound "$1" "$3"
}
