#!/bin/sh
# deps.sh — make sure the Debian packages chanlab needs are installed.
#
#   tools/deps.sh build   packages to build and run chanlab (valgrind: exercises grade with memcheck)
#   tools/deps.sh test    the same plus what the test suite drives (tmux, sqlite3, clang,
#                         and Go: the runtime's conformance twins, and Go's own tools read
#                         the profiles chanlab writes)
#   tools/deps.sh bench   the same (Go also runs the runtime's Go twins beside it)
#
# As root it installs exactly the missing packages with apt-get; otherwise it
# prints the one command to run and fails. On a system without dpkg it only
# checks that pkg-config finds the libraries and names the missing ones.
set -eu

build_pkgs="gcc make pkg-config libncurses-dev liblua5.4-dev libsqlite3-dev libgit2-dev libseccomp-dev zlib1g-dev valgrind"
test_pkgs="$build_pkgs tmux sqlite3 clang git perl python3 bc procps golang-go"
bench_pkgs="$test_pkgs"
libs="ncursesw panelw lua5.4 sqlite3 libgit2 libseccomp zlib"

case "${1:-build}" in
build) want=$build_pkgs ;;
test)  want=$test_pkgs ;;
bench) want=$bench_pkgs ;;
*) echo "usage: tools/deps.sh [build|test|bench]" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
	command -v pkg-config >/dev/null 2>&1 || { echo "chanlab: 'pkg-config' is not installed" >&2; exit 1; }
	missing=
	for l in $libs; do pkg-config --exists "$l" || missing="$missing $l"; done
	[ -z "$missing" ] && exit 0
	echo "chanlab: missing libraries (pkg-config):$missing — install their development packages" >&2
	exit 1
fi

missing=
for p in $want; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in *" installed") ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "chanlab: installing missing packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	# A fresh machine has no package lists yet; an offline mirror or USB repo
	# configured in sources.list works the same way (see INSTALL).
	apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 ||
	{ apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $missing >/dev/null; } ||
	{ echo "chanlab: 'apt-get install$missing' failed" >&2; exit 1; }
	exit 0
fi
echo "chanlab: missing Debian packages:$missing — run: sudo apt-get install$missing" >&2
exit 1
