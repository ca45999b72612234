#!/usr/bin/env python3
"""ctest's course.handouts: writes the term handout and every lab's handout
(scripts/handout.py) under WORK and fails if any of them gives a solution
away: a non-trivial line of any lab's solution (labkit.solution_lines)
that the handout holds more often than the instructor tree does outside
every solution, a solution marker, or a file git does not track.

    check_handouts.py --source ROOT --work WORK
"""

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def line_counts(tree, files, labkit):
    counts = collections.Counter()
    for rel in files:
        if labkit.has_marker_suffix(rel) and os.path.isfile(os.path.join(tree, rel)):
            with open(os.path.join(tree, rel), encoding="utf-8", errors="replace") as f:
                counts.update(l.strip() for l in f.read().splitlines())
    return counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    source, work = os.path.abspath(a.source), os.path.abspath(a.work)
    sys.path.insert(0, os.path.join(source, "scripts"))
    import handout
    import labkit

    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    files = labkit.list_tree(source)
    tracked = subprocess.run(["git", "-C", source, "ls-files"], capture_output=True, text=True)
    if tracked.returncode == 0:
        extra = set(files) - set(tracked.stdout.splitlines())
        if extra:
            fail(f"the tree listing has untracked files: {sorted(extra)[:5]}")
    lines, outside = labkit.solution_lines(source, files)
    total = sum(len(v) for v in lines.values())
    if not total:
        fail("no solution lines found: are there no labs?")
    print(f"{total} non-trivial solution lines of {len(lines)} tags")
    for name in ["term"] + labkit.lab_names(source):
        lab = None if name == "term" else labkit.read_lab(source, name)
        out = os.path.join(work, name)
        handout.make_handout(source, lab.name if lab else None, out, warn=lambda m: None)
        handed = labkit.list_tree(out)
        allowed_extra = {handout.MANIFEST} | ({f"{lab.dir}/{labkit.CHECKSUM_FILE}"} if lab else set())
        stray = set(handed) - set(files) - allowed_extra
        if stray:
            fail(f"handout {name} has files the instructor tree does not track: {sorted(stray)[:5]}")
        have = line_counts(out, handed, labkit)
        keeps = set(lab.keeps) if lab else set()
        # A kept solution is handed out on purpose: its lines may appear
        # as often as it has them (a line it shares with another lab's
        # solution, "spin_lock(&as->lock);" say, is not that lab's leak).
        kept_lines = {}
        for tag in keeps:
            for _, _, text in lines.get(tag, []):
                kept_lines[text] = kept_lines.get(text, 0) + 1
        left = []
        for tag, found in sorted(lines.items()):
            if tag in keeps:
                continue
            for rel, lineno, text in found:
                if have[text] > outside[text] + kept_lines.get(text, 0):
                    left.append(f"{rel}:{lineno} (LAB {tag}): {text}")
        if left:
            fail(f"handout {name} gives away {len(left)} solution line(s):\n  " + "\n  ".join(left[:20]))
        for rel in handed:
            if labkit.has_marker_suffix(rel):
                with open(os.path.join(out, rel), encoding="utf-8", errors="replace") as f:
                    if re.search(r"\bLAB[ \t]+\S+[ \t]+(BEGIN|STUB|END)\b", f.read()):
                        fail(f"handout {name}: {rel} still has a solution marker")
        kept = f" (keeps {' '.join(sorted(keeps))})" if keeps else ""
        print(f"ok: handout {name}: {len(handed)} files, no solution line of any lab{kept}")
        shutil.rmtree(out)
        if os.path.exists(out + ".solution.patch"):
            os.remove(out + ".solution.patch")
    print("check_handouts: passed")


if __name__ == "__main__":
    main()
