#!/usr/bin/env python3
"""wrongcheck.py: prove an exercise's wrong solutions by hand, until verify does.

usage: tools/wrongcheck.py [--chanlab build/chanlab] TRACK/ID [NAME...]

For each exercises/TRACK/ID/wrong/NAME/: a temporary home gets the learner's
copy (chanlab check), the solution's files and then the wrong files over it,
and `chanlab check --json` must fail with a failing test whose hint_on is the
marker's KIND and, unless the marker says `anywhere`, whose report (or
message/output) names the marker's file:line.  Prints one line per case and
exits 1 if any was not caught as marked.
"""
import json, os, re, shutil, subprocess, sys, tempfile

MARK = re.compile(r"/\*\s*wrong:\s*([a-z]+)(\s+anywhere)?\s*\*/")

def marker(wdir):
	found = []
	for f in sorted(os.listdir(wdir)):
		with open(os.path.join(wdir, f), errors="replace") as fh:
			for n, line in enumerate(fh, 1):
				m = MARK.search(line)
				if m:
					found.append((f, n, m.group(1), bool(m.group(2))))
	return found

def main():
	args = sys.argv[1:]
	chanlab = "build/chanlab"
	if args[:1] == ["--chanlab"]:
		chanlab, args = args[1], args[2:]
	chanlab = os.path.abspath(chanlab)
	exdir = os.path.join("exercises", args[0])
	ex = os.path.basename(exdir)
	names = args[1:] or sorted(os.listdir(os.path.join(exdir, "wrong")))
	bad = 0
	for name in names:
		wdir = os.path.join(exdir, "wrong", name)
		ms = marker(wdir)
		if len(ms) != 1:
			print(f"BAD   {ex}/{name}: {len(ms)} markers (need exactly one)")
			bad += 1
			continue
		mfile, mline, kind, anywhere = ms[0]
		home = tempfile.mkdtemp(prefix="wrongcheck.")
		try:
			subprocess.run([chanlab, "--home", home, "check", "--pack=" + os.path.abspath("exercises"), ex],
				       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
			work = os.path.join(home, "work", ex)
			sol = os.path.join(exdir, "solution")
			for f in os.listdir(sol):
				shutil.copy(os.path.join(sol, f), work)
			for f in os.listdir(wdir):
				shutil.copy(os.path.join(wdir, f), work)
			r = subprocess.run([chanlab, "--home", home, "check", "--json",
					    "--pack=" + os.path.abspath("exercises"), ex], capture_output=True, text=True)
			v = json.loads(r.stdout)
		finally:
			shutil.rmtree(home, ignore_errors=True)
		want = f"{mfile}:{mline}"
		fails = [t for t in v["tests"] if t["status"] == "fail"]
		ok = False
		for t in fails:
			if (t["hint_on"] or "test") != kind:
				continue
			rep = t.get("report") or {}
			where = f"{rep.get('file')}:{rep.get('line')}"
			if anywhere or where == want or want in t["message"] or want in t["output"]:
				ok = True
		got = "; ".join(f"{t['name']} [{t['hint_on']}] " +
				(f"{t['report']['file']}:{t['report']['line']}" if t.get("report") else "-")
				for t in fails) or f"status {v['status']}"
		print(f"{'ok   ' if ok else 'MISS '} {ex}/{name}: want {kind} at "
		      f"{'anywhere' if anywhere else want}; got {got}")
		bad += not ok
	return 1 if bad else 0

if __name__ == "__main__":
	sys.exit(main())
