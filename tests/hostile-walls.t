#!/usr/bin/env bash
# The sandbox's walls, tried by real programs that chanlab builds and runs:
# a program cannot make the file system writable again, reach a Unix socket
# of the host, or read the user's keys, the record or the pack's solution;
# chanlab's next check still works. Run as the caller and, where the suite
# runs as root, as an ordinary user (nobody) who owns the chanlab home and
# a copy of the pack, as a learner does; with namespaces and without.
. tests/lib.sh
. tests/hostile.sh
plan $((34 * $(echo $users | wc -w)))
# Without namespaces (CHANLAB_NO_NAMESPACES=1, as where the kernel refuses
# them) the walls are no_new_privs, seccomp and Landlock: with no Landlock
# the program can read and write what its user can, and the verdict says so.
landlock=$(python3 -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))' 2>/dev/null)
[ "${landlock:-0}" -gt 0 ] 2>/dev/null || landlock=0

for run in $users; do for mode in ns plain; do
	who=$run
	if [ "$mode" = plain ] && [ "$landlock" = 0 ]; then
		for _ in $(seq 17); do ok 0 "# SKIP $who $mode: no Landlock in this kernel"; done
		continue
	fi
	U=$TMP/$who-$mode && mkdir -p "$U/userhome/.ssh" && H=$U/home && PACK=$U/pack
	cp -R tests/hostile/pack "$PACK"
	mkdir -p "$PACK/hostile/program/solution"
	echo "SOLUTION-TEXT" >"$PACK/hostile/program/solution/prog.c"
	echo "SECRET-KEY" >"$U/userhome/.ssh/id_rsa"
	[ "$who" = nobody ] && chown -R 65534:65534 "$U"
	fresh "$who" 1 "a sound program passes"

	# 1. The read-only file system cannot be made writable again.
	rm -f /tmp/chanlab-escaped-$$ /dev/shm/chanlab-escaped-$$
	targets="\"$H/progress.db\", \"$H/work/.git/HEAD\", \"$H/work/program/prog.c\", \"$PACK/hostile/program/exercise.lua\", \"$U/userhome/written\", \"/tmp/chanlab-escaped-$$\", \"/dev/shm/chanlab-escaped-$$\","
	prog "$who" wall-remount.c "s|@TARGETS@|$targets|"
	check "$who"
	like "$json" '"status":"fail"' "$who $mode: a program that remounts and writes is stopped at every wall"
	if printf '%s' "$out" | grep -Eq 'mount_setattr worked|remount worked|remounted'; then ok 1 "$who $mode: mount_setattr and remounts fail"; printf '%s\n' "$out" | sed 's/^/#   /'; else ok 0 "$who $mode: mount_setattr and remounts fail"; fi
	is "$(head -c 15 "$H/progress.db")" "SQLite format 3" "$who $mode: progress.db is intact"
	like "$(cat "$H/work/.git/HEAD")" '^ref: ' "$who $mode: work/.git/HEAD is intact"
	like "$(cat "$H/work/program/prog.c")" 'mount_setattr' "$who $mode: the learner's own file is intact"
	like "$(cat "$PACK/hostile/program/exercise.lua")" 'title' "$who $mode: the pack's script is intact"
	[ ! -e "$U/userhome/written" ]; ok $? "$who $mode: nothing was written in the user's home"
	[ ! -e /tmp/chanlab-escaped-$$ ] && [ ! -e /dev/shm/chanlab-escaped-$$ ]; ok $? "$who $mode: nor in the host's /tmp and /dev/shm"
	rm -f /tmp/chanlab-escaped-$$ /dev/shm/chanlab-escaped-$$

	sound "$who"

	# 2. Unix sockets of the host are out of reach.
	fresh "$who" 2 "a sound program passes in a new home"
	rm -f "$U/sock" "$U/reached"
	python3 -c 'import socket,sys,os
s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o777); s.listen(1); s.settimeout(20)
try:
    c,_=s.accept(); open(sys.argv[2],"w").write("reached")
except Exception: pass' "$U/sock" "$U/reached" &
	listener=$!
	for _ in $(seq 50); do [ -S "$U/sock" ] && break; sleep 0.05; done
	prog "$who" wall-unixsock.c "s|@SOCK@|$U/sock|"
	check "$who"
	kill $listener 2>/dev/null; wait $listener 2>/dev/null
	[ ! -e "$U/reached" ]; ok $? "$who $mode: a Unix socket of the host is not reached"
	if printf '%s' "$out" | grep -q CONNECTED; then ok 1 "$who $mode: connect fails"; else ok 0 "$who $mode: connect fails"; fi

	# 3. Nothing to read that is not the program's business.
	fresh "$who" 3 "and in another"
	reads="\"$U/userhome/.ssh/id_rsa\", \"$H/progress.db\", \"$PACK/hostile/program/solution/prog.c\", \"$PACK/hostile/program/exercise.lua\", \"/root/.bashrc\", \"/run/systemd/container\", \"/etc/shadow\","
	prog "$who" wall-snoop.c "s|@READS@|$reads|"
	check "$who"
	if printf '%s' "$out" | grep -q 'READ '; then ok 1 "$who $mode: the user's keys, the record, the pack and the host's secrets are not readable"; printf '%s\n' "$out" | grep READ | sed 's/^/#   /'; else ok 0 "$who $mode: the user's keys, the record, the pack and the host's secrets are not readable"; fi
	if printf '%s' "$json" | grep -Eq 'SECRET-KEY|SOLUTION-TEXT|SQLite format'; then ok 1 "$who $mode: and none of it reaches the verdict"; else ok 0 "$who $mode: and none of it reaches the verdict"; fi

	sound "$who"
done; done
finish
