#!/usr/bin/env bash
# Wide characters in a real terminal (tmux): a pack whose exercise is
# written in Japanese. Its title lines up in the list, and its text wraps
# inside the pane with no character lost, split or pushed past the edge.
. tests/lib.sh
. tests/screen.sh
plan 8

# chanlab finds its pack beside its executable (a checkout's layout)
R=$TMP/root
mkdir -p "$R/build" "$R/runtime" "$R/exercises/wide/cjk"
cp "$CHANLAB" "$R/build/chanlab"
: >"$R/runtime/go.h"
cat >"$R/exercises/pack.lua" <<'EOS'
return { name = "widepack", version = "1", format = 1, tracks = { "wide" } }
EOS
PARA="日本語の文章は単語の間に空白を置かないので、折り返しは文字と文字の間で行います。全角の文字は二桁を占めるので、一行に収まる数は半分になります。"
cat >"$R/exercises/wide/cjk/exercise.lua" <<EOS
return {
  title = "幅の広い文字", track = "wide", difficulty = 1, files = { "a.c" },
  text = [[
# 見出しの例

$PARA
]],
  hints = { "ヒントです" },
  check = function(c) c:test("ok", true, "") end,
}
EOS
echo 'int main(void) { return 0; }' >"$R/exercises/wide/cjk/a.c"
CHANLAB=$R/build/chanlab

start 80 24
see "幅の広い文字" "a wide title shows in the list"
like "$screen" "cjk +幅の広い文字" "after its id, in its column"
keys Enter
see "見出しの例" "the exercise opens with its wide heading"

# the paragraph's rows between the heading and the results
rows=$(printf '%s\n' "$screen" | sed -n '/見出しの例/,/Results/p' | sed '1d;$d')
joined=$(printf '%s\n' "$rows" | sed 's/[ ┃│#|]//g' | tr -d '\n')
is "$joined" "$PARA" "the wrapped text holds every character, in order"
widest=0
while IFS= read -r row; do
	w=$(printf '%s' "$row" | sed 's/[ ┃│]*$//' | wc -L)
	[ "$w" -gt "$widest" ] && widest=$w
done <<<"$rows"
ok $([ "$widest" -le 78 ] && [ "$widest" -ge 70 ]; echo $?) "lines fill the pane but stay inside it (widest $widest of 78 columns)"
wrapped=$(printf '%s\n' "$rows" | grep -c '[^ ]')
ok $([ "$wrapped" -ge 2 ]; echo $?) "wrapped between characters onto $wrapped lines"

tmux resize-window -t "$S" -x 150 -y 40
see "cjk — 幅の広い文字 .* Results" "a wide terminal puts the results beside the text"
keys Escape
see "cjk +幅の広い文字" "and the list still lines up"
finish
