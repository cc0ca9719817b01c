#!/usr/bin/env python3
"""layers.py — check that every #include follows chanlab's layering.

    tools/layers.py [-C ROOT] [LAYER...]

Reads every .c, .h and .S file under the layer folders of ROOT (default: the
checkout this script is in), or only under the LAYERs named, and prints one
line per include a file may not use:

    checker/proc.c:53: "lua/check.h" is lua/: checker/ may use base/ only

Exits 0 when there is none, 1 when there are, 2 on bad usage.

The rules are ../shared/DESIGN.md's table of the parts ("may use"):
`tui -> lua -> checker -> base`, `tui -> data -> base`; `runtime` and
`harness` stand alone (a harness compiles against runtime/go.h only).
A project header is a quoted include ("dir/x.h", or a name found beside the
including file) or one of the installed headers included as <go.h> and
<chanlab_test.h>; a library is recognised by its header name (<lauxlib.h> is
Lua, <curses.h> is curses, ...). Includes inside comments do not count;
includes inside #if 0 do (they would the day someone flips the 0).
"""

import os
import re
import sys

# layer -> (project headers it may include besides its own folder's,
#           libraries it may include).  A project entry is a folder ("base")
# or one file ("runtime/go.h").
RULES = {
	"base":    ((), ()),
	"checker": (("base",), ("seccomp",)),
	"lua":     (("checker", "base"), ("Lua",)),
	"data":    (("base",), ("SQLite", "libgit2")),
	"tui":     (("lua", "data", "checker", "base"), ("curses", "Lua")),
	"runtime": ((), ()),
	"harness": (("runtime/go.h",), ()),
}

# Libraries by header name (a prefix ending in '/' is a header folder).
LIBRARIES = {
	"Lua":     ("lua.h", "lauxlib.h", "lualib.h", "luaconf.h", "lua.hpp", "lua5.4/"),
	"curses":  ("curses.h", "ncurses.h", "ncursesw/", "panel.h", "menu.h",
		    "form.h", "term.h"),
	"SQLite":  ("sqlite3.h",),
	"libgit2": ("git2.h", "git2/"),
	"seccomp": ("seccomp.h",),
}

# Project headers that learner programs include as installed (<go.h>), and
# headers made at build time into $(B)/gen, with the folder that owns them.
INSTALLED = {"go.h": "runtime/go.h", "chanlab_test.h": "harness/chanlab_test.h"}
GENERATED = {"schema.h": "data"}

SOURCES = (".c", ".h", ".S")
INCLUDE = re.compile(r'#\s*include\s*([<"])([^>"]+)[>"]')


def project_rule(layer):
	"""The rule for a layer's project includes, in words."""
	proj = RULES[layer][0]
	if layer == "base":
		return "base/ uses nothing of ours"
	if not proj:
		return "%s/ stands alone (nothing of ours outside %s/)" % (layer, layer)
	return "%s/ may use %s only" % (layer, ", ".join(
		p if p.endswith(".h") else p + "/" for p in proj))


def library_rule(layer):
	"""The rule for a layer's library includes, in words."""
	libs = RULES[layer][1]
	if not libs:
		return "%s/ uses no library but libc" % layer
	return "%s/ may use no library but %s" % (layer, " and ".join(libs))


# What the scan steps over: a preprocessor line (with its continuations), a
# comment, a string or character literal.  Whatever comes first wins, so a
# '#' in a comment or a string is no directive.
TOKENS = re.compile(r"""
	(?P<directive> ^[ \t]*\#(?:[^\n\\]|\\.)* )
	| /\*.*?(?:\*/|\Z)
	| //[^\n]*
	| "(?:[^"\\\n]|\\.)*"
	| '(?:[^'\\\n]|\\.)*'
""", re.M | re.S | re.X)
COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)|//.*", re.S)


def directives(text):
	"""Yield (line number, directive text) for each preprocessor line, with
	its comments taken out and continuation lines kept."""
	line, pos = 1, 0
	for m in TOKENS.finditer(text):
		if m.group("directive") is not None:
			line += text.count("\n", pos, m.start())
			pos = m.start()
			yield line, COMMENT.sub(" ", m.group("directive"))


def library_of(name):
	for lib, headers in LIBRARIES.items():
		for h in headers:
			if name == h or (h.endswith("/") and name.startswith(h)):
				return lib
	return None


def project_header(root, path, name):
	"""Where a quoted include resolves in the tree ("base/err.h"), as the
	compiler looks: beside the including file, then from the root (-I.).
	None when it is no file of ours."""
	for d in (os.path.dirname(path), ""):
		rel = os.path.normpath(os.path.join(d, name))
		if not rel.startswith("..") and os.path.isfile(os.path.join(root, rel)):
			return rel.replace(os.sep, "/")
	top = name.split("/")[0]
	if "/" in name and top in RULES:
		return name     # a header of ours not (yet) there
	return None


def check_include(root, path, layer, quote, name):
	"""The message for an include the file may not use, or None."""
	proj, libs = RULES[layer]
	if quote == '"':
		header = project_header(root, path, name)
		if header is None:
			if name in GENERATED:
				header = GENERATED[name] + "/" + name
			else:
				return ('"%s" is no header of the tree nor a generated one '
					"(tools/layers.py GENERATED)" % name)
	else:
		header = INSTALLED.get(name)
		if header is None:
			lib = library_of(name)
			if lib is None or lib in libs:
				return None     # libc, the system, or a library it may use
			return "<%s> is %s: %s" % (name, lib, library_rule(layer))
	owner = header.split("/")[0]
	if owner == layer or owner in proj or header in proj:
		return None
	if owner not in RULES:
		return '"%s" is in %s/, which is no layer (tools/layers.py RULES)' % (name, owner)
	return "%s%s%s is %s/: %s" % (quote, name, ">" if quote == "<" else '"',
				      owner, project_rule(layer))


def check_file(root, path, layer):
	with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
		text = f.read()
	for line, d in directives(text):
		m = INCLUDE.match(d.strip())
		if m:
			msg = check_include(root, path, layer, m.group(1), m.group(2))
			if msg:
				yield "%s:%d: %s" % (path, line, msg)


def main(argv):
	root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
	args = argv[1:]
	if args[:1] == ["-C"] and len(args) >= 2:
		root, args = args[1], args[2:]
	if any(a.startswith("-") or a not in RULES for a in args):
		sys.stderr.write("usage: tools/layers.py [-C ROOT] [LAYER...]  (layers: %s)\n"
				 % " ".join(RULES))
		return 2
	bad = 0
	for layer in args or RULES:
		top = os.path.join(root, layer)
		if not os.path.isdir(top):
			sys.stderr.write("layers: no folder '%s'\n" % top)
			return 2
		for d, dirs, files in os.walk(top):
			dirs.sort()
			for fn in sorted(files):
				if fn.endswith(SOURCES):
					path = os.path.relpath(os.path.join(d, fn), root)
					for msg in check_file(root, path.replace(os.sep, "/"), layer):
						print(msg)
						bad += 1
	return 1 if bad else 0


if __name__ == "__main__":
	sys.exit(main(sys.argv))
