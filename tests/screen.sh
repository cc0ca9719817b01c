# screen.sh — helpers for the tmux screen tests (sourced by tests/screen*.t
# after tests/lib.sh). Each test file gets its own tmux server in $TMP.
export TMUX_TMPDIR=$TMP
export LANG=C.UTF-8 LC_ALL=C.UTF-8
S=chanlab
# chanlab first (it quits on SIGTERM), then the terminal
trap '[ -s "$TMP/pid" ] && kill "$(cat "$TMP/pid")" 2>/dev/null; tmux kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

# start W H [ENV=VALUE ...]: chanlab on $TMP/home (with $ARGS, if set) in a W x H window; the
# window stays open after chanlab exits and says how it ended.
start() {
	local w=$1 h=$2
	shift 2
	tmux -f /dev/null kill-session -t "$S" 2>/dev/null
	rm -f "$TMP/pid"
	tmux -f /dev/null new-session -d -s "$S" -x "$w" -y "$h" \
		"env $* sh -c 'echo \$\$ >\"$TMP/pid\"; exec \"$CHANLAB\" --home \"$TMP/home\" ${ARGS:-}'; echo chanlab-exited-\$?; sleep 600"
}

screen() { tmux capture-pane -p -t "$S"; }

# wait_for PATTERN [SECONDS]: until the screen matches (grep -E); the
# screen is left in $screen. Generous timeouts: a loaded machine is slow,
# and a passing run never waits longer than it must.
wait_for() {
	local deadline=$((SECONDS + ${2:-30}))
	[ -n "${screen_failed:-}" ] && deadline=$((SECONDS + 3))   # after one failure, fail fast
	while :; do
		screen=$(screen)
		printf '%s' "$screen" | grep -Eq -- "$1" && return 0
		[ $SECONDS -ge $deadline ] && return 1
		case "$screen" in *chanlab-exited-*) return 1 ;; esac   # it will not show up now
		sleep 0.05
	done
}

# the screen a failed test saw, on stderr: prove shows it, as it does not
# show comments on stdout
show_screen() { printf '%s\n' "$screen" | sed 's/^/#   /' >&2; }

# see PATTERN DESCRIPTION [SECONDS]: a test that the screen shows PATTERN.
see() {
	if wait_for "$1" "${3:-30}"; then
		ok 0 "$2"
	else
		ok 1 "$2"
		show_screen
		screen_failed=1
	fi
}

keys() { tmux send-keys -t "$S" "$@"; }

# gone PATTERN DESCRIPTION [SECONDS]: a test that the screen stops showing PATTERN.
gone() {
	local deadline=$((SECONDS + ${3:-30}))
	while screen=$(screen); printf '%s' "$screen" | grep -Eq -- "$1"; do
		if [ $SECONDS -ge $deadline ]; then ok 1 "$2"; show_screen; return; fi
		sleep 0.05
	done
	ok 0 "$2"
}
