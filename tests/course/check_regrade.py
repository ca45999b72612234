#!/usr/bin/env python3
"""ctest's checks of the hand-in and the staff regrade (docs/course-kit.md).

  cheats  hands in LAB's untouched handout, the handout with the lab's
          solution patch, and the handout with each cheat of
          tests/course/cheats (git-apply patches; "# after: resum"
          regenerates the lab's tests.sha256 as a cheating student would),
          regrades them all (scripts/regrade.py) and requires: the solution
          scores the maximum, the untouched handout less, and every cheat
          no more than the untouched handout, 0 for every test that fails
          there; each results.json is in Gradescope's format.
  demo    from a fresh clone of SOURCE: the term repository, a student's
          clone of it (branch LAB), three hand-ins made with `handin.py` in
          it (correct: the lab's solution; bug: the solution with a planted
          bug; cheat: the solution's absence plus cheat 09) and the staff
          regrade's CSV, with the scores expected of each.

    check_regrade.py cheats --source ROOT --work WORK [--lab cow] [--cheats NAME ...]
    check_regrade.py demo --source ROOT --work WORK
"""

import argparse
import csv
import glob
import json
import os
import shutil
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHEATS = os.path.join(HERE, "cheats")
from kit_steps import GIT, fail, run  # noqa: E402


def apply_cheat(tree, name, lab):
    path = os.path.join(CHEATS, name + ".patch")
    # one line of context: the tree may have moved on. The ceiling keeps
    # git from taking an enclosing checkout (the build tree's) for the
    # tree's repository, where it would skip every path silently.
    env = dict(os.environ, GIT_CEILING_DIRECTORIES=os.path.dirname(tree))
    before = subprocess.run(["git", "status", "--porcelain"], cwd=tree, capture_output=True, text=True, env=env)
    run(["git", "apply", "-C1", "--verbose", path], cwd=tree, env=env)
    after = subprocess.run(["git", "status", "--porcelain"], cwd=tree, capture_output=True, text=True, env=env)
    if before.returncode == 0 and before.stdout == after.stdout:
        fail(f"cheat {name} changed nothing in {tree}")
    with open(path, encoding="utf-8") as f:
        header = [l for l in f.read().splitlines() if l.startswith("# ")]
    if "# after: resum" in header:
        sums = os.path.join(tree, "labs", lab, "tests.sha256")
        with open(sums, encoding="utf-8") as f:
            files = [l.split("  ", 1)[1] for l in f.read().splitlines() if l.strip()]
        out = run(["sha256sum", "--", *files], cwd=tree, capture_output=True, text=True).stdout
        with open(sums, "w", encoding="utf-8") as f:
            f.write(out)


def handin(source, tree, lab, out):
    run([sys.executable, os.path.join(source, "scripts/handin.py"), lab, "--source", tree, "--out", out])


def regrade(source, lab, handins, out, work, extra=()):
    run([sys.executable, os.path.join(source, "scripts/regrade.py"), lab, handins, out, "--source", source,
         "--work", work, *extra])
    with open(os.path.join(out, "grades.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    by = {r["student"]: r for r in rows}
    for name, row in by.items():
        check_results_json(os.path.join(out, name, "results.json"), row)
    return by


def check_results_json(path, row):
    """Gradescope's results.json: score, and tests with name, score,
    max_score and output; the CSV row agrees."""
    with open(path) as f:
        res = json.load(f)
    if not isinstance(res.get("score"), (int, float)) or not isinstance(res.get("tests"), list) or not res["tests"]:
        fail(f"{path}: no numeric 'score' or no 'tests'")
    for t in res["tests"]:
        for key, kind in (("name", str), ("score", (int, float)), ("max_score", (int, float)), ("output", str)):
            if not isinstance(t.get(key), kind):
                fail(f"{path}: test {t.get('name')!r} has no {key} of the right type")
        if not 0 <= t["score"] <= t["max_score"]:
            fail(f"{path}: test {t['name']} scores {t['score']} of {t['max_score']}")
    if sum(t["score"] for t in res["tests"]) != res["score"] or str(res["score"]) != row["score"]:
        fail(f"{path}: the score does not add up (or disagrees with grades.csv)")


def tests_of(row):
    return {k: int(v) for k, v in row.items() if k not in ("student", "score", "max_score", "build", "ignored_files")}


def make_handout(source, lab, dest):
    shutil.rmtree(dest, ignore_errors=True)
    if os.path.exists(dest + ".solution.patch"):
        os.remove(dest + ".solution.patch")
    run([sys.executable, os.path.join(source, "scripts/handout.py"), lab, dest, "--source", source],
        stdout=subprocess.DEVNULL)
    return dest + ".solution.patch"


def stage_cheats(a):
    work, lab = a.work, a.lab
    base, handins = os.path.join(work, "handout"), os.path.join(work, "handins")
    patch = make_handout(a.source, lab, base)
    shutil.rmtree(handins, ignore_errors=True)
    os.makedirs(handins)
    names = a.cheats or sorted(os.path.basename(p)[:-len(".patch")] for p in glob.glob(os.path.join(CHEATS, "*.patch")))
    trees = {"untouched": None, "solution": "solution", **{f"cheat-{n}": n for n in names}}
    for student, what in trees.items():
        tree = os.path.join(work, "trees", student)
        shutil.rmtree(tree, ignore_errors=True)
        shutil.copytree(base, tree, symlinks=True)
        if what == "solution":
            with open(patch) as f:
                run(["patch", "-p1", "--quiet"], cwd=tree, stdin=f)
        elif what:
            apply_cheat(tree, what, lab)
        out = os.path.join(handins, f"{student}.tar.gz")
        handin(a.source, tree, lab, out)
        with tarfile.open(out) as tar:
            if what and not any(m.name.startswith("files/") for m in tar.getmembers()):
                fail(f"the hand-in {student} holds no changed file")
        shutil.rmtree(tree)
    by = regrade(a.source, lab, handins, os.path.join(work, "out"), os.path.join(work, "staff"))
    top = int(by["solution"]["max_score"])
    if int(by["solution"]["score"]) != top:
        fail(f"the solution scores {by['solution']['score']}/{top} in the staff regrade")
    base_score, base_tests = int(by["untouched"]["score"]), tests_of(by["untouched"])
    if base_score >= top:
        fail(f"the untouched handout scores {base_score}/{top}")
    failing = sorted(t for t, v in base_tests.items() if v == 0)
    print(f"ok: solution {top}/{top}; untouched handout {base_score}/{top} (failing: {' '.join(failing)})")
    for n in names:
        row = by[f"cheat-{n}"]
        gained = [t for t in failing if tests_of(row)[t] != 0]
        if gained or int(row["score"]) > base_score:
            fail(f"cheat {n} scores {row['score']}/{top} (the untouched handout: {base_score}); "
                 f"it earns points for {' '.join(gained) or 'tests the handout passes'}")
        print(f"ok: cheat {n}: {row['score']}/{top}, 0 for every test the handout fails "
              f"(ignored: {row['ignored_files'] or 'none'})")


def stage_demo(a):
    work = a.work
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    clone, term, student = (os.path.join(work, d) for d in ("clone", "term-repo", "student"))
    run(["git", "clone", "-q", a.source, clone])
    py = sys.executable
    run([py, os.path.join(clone, "scripts/term_repo.py"), term, "--source", clone, "--labs", "cow", "sched"])
    run(GIT + ["clone", "-q", "-b", "cow", term, student])
    # the reference solution, as a student who solved the lab would have it
    patch = make_handout(clone, "cow", os.path.join(work, "cow-handout"))
    handins = os.path.join(work, "handins")
    os.makedirs(handins)

    def snapshot(name, edit):
        run(GIT + ["-C", student, "checkout", "-q", "-B", f"work-{name}", "cow"])
        edit()
        run(GIT + ["-C", student, "commit", "-q", "-am", name])
        # handin.py from the student's own tree, as `ninja handin` runs it
        handin(student, student, "cow", os.path.join(handins, f"{name}.tar.gz"))

    def solve():
        with open(patch) as f:
            run(["patch", "-p1", "--quiet"], cwd=student, stdin=f)

    def planted_bug():
        solve()
        path = os.path.join(student, "mm/fault.c")
        with open(path) as f:
            text = f.read()
        # never reuses the last owner's frame: every COW fault copies
        buggy = text.replace("if (page_refcount_acquire(old) == 1) {", "if (0 && page_refcount_acquire(old) == 1) {")
        if buggy == text:
            fail("cannot plant the bug: mm/fault.c has no last-owner check")
        with open(path, "w") as f:
            f.write(buggy)

    snapshot("correct", solve)
    snapshot("bug", planted_bug)
    snapshot("cheat", lambda: apply_cheat(student, "09-student-file-verdict-and-poweroff", "cow"))
    by = regrade(clone, "cow", handins, os.path.join(work, "out"), os.path.join(work, "staff"))
    top = int(by["correct"]["max_score"])
    scores = {n: int(r["score"]) for n, r in by.items()}
    print(f"grades.csv: {scores} (of {top})")
    if scores["correct"] != top:
        fail(f"the correct hand-in scores {scores['correct']}/{top}")
    if tests_of(by["bug"])["cow_reuse.cow"] != 0 or scores["bug"] >= top:
        fail(f"the planted bug scores {scores['bug']}/{top} and cow_reuse.cow {tests_of(by['bug'])['cow_reuse.cow']}")
    if tests_of(by["cheat"])["fork_big.cow"] != 0 or scores["cheat"] >= scores["bug"]:
        fail(f"the cheat scores {scores['cheat']}/{top}, fork_big.cow {tests_of(by['cheat'])['fork_big.cow']}")
    with open(os.path.join(work, "out", "grades.csv")) as f:
        print(f.read())
    print(f"ok: correct {scores['correct']}/{top}, planted bug {scores['bug']}/{top}, cheat {scores['cheat']}/{top}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("stage", choices=("cheats", "demo"))
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--lab", default="cow")
    ap.add_argument("--cheats", nargs="*", default=None)
    a = ap.parse_args()
    a.source, a.work = os.path.abspath(a.source), os.path.abspath(a.work)
    os.makedirs(a.work, exist_ok=True)
    if a.stage == "cheats":
        stage_cheats(a)
    else:
        stage_demo(a)
    print(f"check_regrade {a.stage}: passed")


if __name__ == "__main__":
    main()
