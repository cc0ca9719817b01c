#!/usr/bin/env bash
# Crash consistency of the record: chanlab is killed (SIGKILL) at every
# crash point of a check, a reset and a restore (CHANLAB_CRASH_AT=N, see
# data/crash.h), and at random moments from outside; after each kill the
# next start must show rows and commits that name each other one to one,
# with the same verdicts, and no line the learner wrote may be lost.
. tests/lib.sh
H=$TMP/home
EX=first-goroutine
W=$H/work/$EX
SRC=exercises/concurrency/first-goroutine

plan 21
skip() { for _ in $(seq "$1"); do n=$((n + 1)); echo "ok $n # SKIP $2"; done; }
"$CHANLAB" --home "$H" check "$EX" >/dev/null 2>"$TMP/err"; rc=$?
if [ $rc -eq 0 ] || [ $rc -eq 1 ]; then
	have_check=1
else    # no runtime or checker here: reset and restore still record
	have_check=0 why="chanlab check does not work here: $(head -1 "$TMP/err")"
	echo "/* an edit */" >>"$W/squares.c"
	"$CHANLAB" --home "$H" reset "$EX" >/dev/null
fi

# Rows (commit, status) and chanlab commits (id, Chanlab-Status trailer)
# after the next start, which repairs; empty output means consistent.
inconsistency() {
	"$CHANLAB" --home "$H" history "$EX" >/dev/null 2>"$TMP/err" || { cat "$TMP/err"; return; }
	sqlite3 "$H/progress.db" "SELECT commit_id || ' ' || status FROM attempt ORDER BY commit_id" >"$TMP/rows"
	git -C "$H/work" log --format='%H %(trailers:key=Chanlab-Status,valueonly,separator=%x2C)' \
		--grep='^Chanlab-Exercise: ' | sort >"$TMP/commits"
	diff "$TMP/rows" "$TMP/commits" | head -5
}
rows() { sqlite3 "$H/progress.db" "SELECT count(*) FROM attempt"; }

# 1. Every crash point of a check.
if [ $have_check = 1 ]; then
	bad=0 points=0
	before=$(rows)
	for k in $(seq 1 30); do
		{ CHANLAB_CRASH_AT=$k "$CHANLAB" --home "$H" check "$EX" >/dev/null 2>&1; } 2>/dev/null; rc=$?
		[ $rc -eq 137 ] || break
		points=$((points + 1))
		d=$(inconsistency)
		[ -z "$d" ] || { bad=$((bad + 1)); echo "# after a kill at point $k: $d"; }
	done
	ok $((points < 6)) "a check was killed at each of its $points crash points"
	is "$bad" 0 "after every kill the next start shows rows and commits one to one"
	is "$rc" 1 "then a check runs to the end"
	touch "$H/work/.git/index.lock" "$H/work/.git/$(git -C "$H/work" symbolic-ref HEAD).lock"
	"$CHANLAB" --home "$H" check "$EX" >/dev/null 2>&1
	is $? 1 "git lock files left by a process killed inside libgit2 do not block the next check"
	after=$(rows)
	[ "$after" -ge $((before + 2)) ] && [ "$after" -le $((before + points + 2)) ]; ok $? "killed checks after the commit are kept ($before → $after rows)"
	git -C "$H/work" fsck --no-dangling >/dev/null 2>&1; ok $? "git fsck finds the repository sound"
else
	skip 6 "$why"
fi

# 2. Every crash point of a reset and of a restore: the learner's edit must
# survive in the folder or in a commit.
lost=0 points=0
for op in reset restore; do
	for k in $(seq 1 30); do
		mark="learner-line-$op-$k-$RANDOM"
		echo "/* $mark */" >>"$W/squares.c"
		if [ $op = reset ]; then
			{ CHANLAB_CRASH_AT=$k "$CHANLAB" --home "$H" reset "$EX" >/dev/null 2>&1; } 2>/dev/null; rc=$?
		else
			{ CHANLAB_CRASH_AT=$k "$CHANLAB" --home "$H" restore "$EX" 1 >/dev/null 2>&1; } 2>/dev/null; rc=$?
		fi
		d=$(inconsistency)
		[ -z "$d" ] || { lost=$((lost + 1)); echo "# $op killed at $k: $d"; }
		if ! grep -q "$mark" "$W/squares.c" &&
		   ! git -C "$H/work" grep -q "$mark" $(git -C "$H/work" rev-list HEAD) -- "$EX" 2>/dev/null; then
			lost=$((lost + 1))
			echo "# $op killed at point $k lost '$mark'"
		fi
		[ $rc -eq 137 ] || break
		points=$((points + 1))
	done
done
is "$rc" 0 "a reset and a restore run to the end after being killed"
ok $((points < 4)) "they were killed at $points points"
is "$lost" 0 "no kill lost an edit, and rows and commits still match"
ls "$W" | grep -q chanlab; ok $((!$?)) "no temporary file is left in the learner's folder"

# 3. A kill while the attempts repository is first made leaves none half made.
N=$TMP/new
{ CHANLAB_CRASH_AT=1 "$CHANLAB" --home "$N" reset "$EX" >/dev/null 2>&1; } 2>/dev/null
is $? 137 "chanlab was killed making a new attempts repository"
"$CHANLAB" --home "$N" reset "$EX" >/dev/null 2>&1; is $? 0 "the next start makes it and works"
ls -a "$N/work" | grep -q chanlab-init; ok $((!$?)) "and clears what the killed one left"

# 4. Kills from outside at random moments (each step slowed down a little).
if [ $have_check = 1 ]; then
	cp "$SRC/solution/squares.c" "$W/squares.c"
	bad=0 killed=0
	for i in $(seq 1 12); do
		CHANLAB_CRASH_DELAY_MS=15 "$CHANLAB" --home "$H" check "$EX" >/dev/null 2>&1 &
		pid=$!
		sleep "0.$(printf '%03d' $((RANDOM % 250)))"
		kill -9 $pid 2>/dev/null && killed=$((killed + 1))
		{ wait $pid; } 2>/dev/null
		d=$(inconsistency)
		[ -z "$d" ] || { bad=$((bad + 1)); echo "# after a random kill: $d"; }
	done
	ok $((killed < 3)) "chanlab was killed from outside $killed times of 12"
	is "$bad" 0 "after each, rows and commits still match"
	"$CHANLAB" --home "$H" check "$EX" >/dev/null 2>&1; is $? 0 "and the next check passes and is recorded"
	is "$(inconsistency)" "" "the record ends consistent"
	last=$(sqlite3 "$H/progress.db" "SELECT commit_id FROM attempt ORDER BY id DESC LIMIT 1")
	is "$last" "$(git -C "$H/work" rev-parse HEAD)" "the last row names HEAD"
else
	skip 5 "$why"
fi
# 5. Kills right after a sandboxed run starts (a program that sleeps
# forever, with namespaces and without): neither the sandbox's init nor the
# program outlives chanlab, and the next check is not blocked by a build
# lock a leftover held.
if [ $have_check = 1 ]; then
	PACK=$PWD/tests/hostile/pack
	K=$TMP/kills
	mkdir -p "$K/work/program"
	cp tests/hostile/sleeper.c "$K/work/program/prog.c"
	# Processes of this home: inits (chanlab's clones) and the program.
	ours() {
		local p
		for p in /proc/[0-9]*; do
			case "$(readlink "$p/exe" 2>/dev/null)" in
			"$CHANLAB"|"$K"/*) tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q -- "$K" && echo "${p#/proc/}" ;;
			esac
		done
	}
	# Waits (at most 20 s) until chanlab $1 has started the run: it has a
	# child that is an init or the program itself.
	run_started() {
		local i k
		for i in $(seq 4000); do
			for k in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
				case "$(readlink /proc/"$k"/exe 2>/dev/null)" in "$CHANLAB"|"$K"/*) return 0 ;; esac
			done
			kill -0 "$1" 2>/dev/null || return 1
			sleep 0.005
		done
		return 1
	}
	left=0 started=0
	for way in namespaces plain; do
		for i in 1 2 3 4 5 6; do
			if [ $way = plain ]; then export CHANLAB_NO_NAMESPACES=1; else unset CHANLAB_NO_NAMESPACES; fi
			"$CHANLAB" --home "$K" check --pack="$PACK" program >/dev/null 2>&1 &
			pid=$!
			run_started $pid && started=$((started + 1))
			[ $i -gt 3 ] && sleep "0.$((RANDOM % 3))"
			kill -9 $pid 2>/dev/null
			{ wait $pid; } 2>/dev/null
			sleep 0.3
			s=$(ours)
			if [ -n "$s" ]; then
				left=$((left + 1))
				echo "# $way, kill $i: left running: $(for p in $s; do tr '\0' ' ' </proc/$p/cmdline; echo; done | head -3)"
				kill -9 $s 2>/dev/null
			fi
		done
	done
	unset CHANLAB_NO_NAMESPACES
	ok $((started < 10)) "chanlab was killed right after starting a sandboxed run ($started of 12 times)"
	is "$left" 0 "no sandbox init or program outlived it"
	timeout 60 "$CHANLAB" --home "$K" check --pack="$PACK" program >/dev/null 2>&1
	is $? 1 "and the next check runs to its verdict (not blocked by a leftover's build lock)"
else
	skip 3 "$why"
fi
finish
