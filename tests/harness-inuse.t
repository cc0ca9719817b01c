#!/usr/bin/env bash
# cl_inuse(): the bytes a program still points to, counted by the harness's
# malloc wrappers, exact in the normal build and under ASan and TSan; a
# cache that keeps every entry fails a bound a forgetting one meets.
. tests/lib.sh
plan 8
P=$TMP/pack
cp -r "$PWD/tests/packs/inuse" "$P"
test_of() { printf '%s' "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); print(' '.join(sorted(set(t['status'] for t in d['tests'] if t['name'].split(' (')[0] == sys.argv[1]))), [t.get('message','') for t in d['tests'] if t['name'].split(' (')[0] == sys.argv[1] and t['status'] != 'pass'][:1])" "$1"; }

json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" cache); rc=$?
is "$rc" 1 "a cache that keeps every entry fails"
like "$(test_of counts_what_is_live)" "^pass \[\]" "malloc, realloc, calloc, strdup, aligned_alloc, posix_memalign and free are counted live and back to zero, in every build"
like "$(test_of forgets_the_old)" "^fail \[.*[0-9]{7,} bytes still held after 100000 puts" "the cache's growth is seen: megabytes still held"
builds=$(printf '%s' "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); print(sum(1 for t in d['tests'] if t['name'].split(' (')[0] == 'counts_what_is_live'))")
is "$builds" 3 "(the counters were tested in the normal build, under ASan and under TSan)"

cp "$P/mem/cache/solution/cache.c" "$TMP/h/work/cache/cache.c"
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" cache); rc=$?
is "$rc" 0 "a cache that frees the oldest passes"
like "$(test_of forgets_the_old)" "^pass \[\]" "its bytes stay bounded"

# a double free is the sanitizer's to report, as one: the wrapper asks
# whether the block is the allocator's before it measures it
sed -i 's/^\t\tfree(ring\[i\]);$/\t\tfree(ring[i]);\n\t\tif (i == 3)\n\t\t\tfree(ring[i]);/' "$TMP/h/work/cache/cache.c"
grep -q 'if (i == 3)' "$TMP/h/work/cache/cache.c"; ok $? "(a cache that frees one entry twice)"
json=$("$CHANLAB" --home "$TMP/h" check --json --pack="$P" cache)
like "$(printf '%s' "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); print(' '.join(r.get('kind','') for t in d['tests'] for r in ([t['report']] if t.get('report') else [])))")" "double-free" \
	"ASan reports it as a double free"
