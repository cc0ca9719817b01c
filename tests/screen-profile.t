#!/usr/bin/env bash
# The profile view in a real terminal (tmux), at 80x24 and 120x40: p on an
# exercise with no profile kept profiles a check first, then shows the
# merged CPU profile as an icicle flame graph (the learner's heavy() under
# its caller, the work under it); Enter zooms into a frame and u back out;
# Tab shows pprof's top table; c a function's callers and callees; Esc
# goes back to the exercise.
. tests/lib.sh
. tests/screen.sh
plan 26
P=$TMP/pack
cp -r "$PWD/tests/packs/split" "$P"         # the pack of tests/profile-cli.t

for size in "80 24" "120 40"; do
	rm -rf "$TMP/home"
	ARGS="--pack $P" start $size
	see "split" "$size: the home screen"
	keys Enter
	see "Make heavy\\(\\) light" "$size: the exercise opens"
	keys p
	see "cpu profile of split: [0-9]+ runs? merged" "$size: p with no profile kept profiles a check, then shows it" 60
	like "$screen" "all: [0-9.]+m?s" "$size: the graph's root is the whole profile"
	at=$(printf '%s\n' "$screen" | awk '/^heavy +light/ { print index($0, "light") - 1; exit }')
	w=${size% *}
	python3 -c "import sys; sys.exit(0 if 0.55 < int(sys.argv[1] or 0) / int(sys.argv[2]) < 0.78 else 1)" "${at:-0}" "$w"
	ok $? "$size: heavy() and light() side by side under their caller, heavy twice as wide (light at column ${at:-none} of $w)"
	keys Enter
	see "zoomed in: u zooms out" "$size: Enter zooms into the selected frame"
	keys u Tab
	see "flat +flat% +sum% +cum +cum%" "$size: Tab shows the top table"
	# c: the hottest function's callers and callees (pprof's -peek)
	keys c
	see "callers and callees" "$size: c shows the callers and callees of the row's function"
	like "$(printf '%s' "$screen" | tr '\n' ' ')" "called by .*% +heavy +work\\.c .*% +light +work\\.c .*mix +work\\.c .* with its callees .*calls nothing" \
		"$size: mix is called by heavy, then light, and calls nothing"
	keys Enter
	see "heavy +work\\.c .* with its callees" "$size: Enter goes to the caller"
	like "$(printf '%s' "$screen" | tr '\n' ' ')" "with its callees +calls +[0-9.]+m?s +[0-9.]+% +mix +work\\.c" "$size: heavy calls mix"
	keys Escape
	see "flat +flat% +sum% +cum +cum%" "$size: Esc leaves the callers and callees for the table"
	keys Escape
	see "Make heavy\\(\\) light" "$size: Esc goes back to the exercise"
done
finish
