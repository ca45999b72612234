#!/usr/bin/env python3
"""The staff regrade of a class's hand-ins (docs/course-kit.md).

    scripts/regrade.py LAB HANDINS OUTDIR [--source ROOT] [--work DIR] [--only TEST ...] [-j N]

HANDINS is a directory of hand-ins (`ninja handin` archives: NAME.tar.gz,
NAME being the student). For each, in a staff tree that only the staff
write (the lab's handout with only its own solutions cut, from ROOT: the
staff's tests, harness and kernel), it

1. puts back the staff's copy of every file the previous hand-in changed;
2. copies in the files of the hand-in that the lab lets students change
   (`student_files:` in labs/LAB/lab.txt) and nothing else (the others
   are listed as ignored);
3. rebuilds (one staff build, reused: only what the copied files touch is
   rebuilt) and runs the lab's graded tests (`ctest -L ^lab-LAB$`; with
   --only, just those), whose verdict lines must carry each run's token;
4. writes OUTDIR/NAME/results.json in Gradescope's format (score, tests:
   name, score, max_score, status, output) and a row of OUTDIR/grades.csv.

Exit status 0 when every hand-in got a grade (a failing or unbuildable one
gets its score), 1 on bad input.
"""

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import grade  # noqa: E402
import handout  # noqa: E402
import labkit  # noqa: E402
from labkit import KitError  # noqa: E402

OUTPUT_TAIL = 3000  # characters of a failing test's output kept in results.json


def log(msg):
    print(f"regrade: {msg}", flush=True)


def staff_tree(source, lab, work, toolchain):
    """WORK/pristine (the lab's staff handout), WORK/tree (the copy hand-ins
    go into) and its configured build WORK/build, made on first use and
    brought up to date with the staff's source after."""
    pristine, tree, build = (os.path.join(work, d) for d in ("pristine", "tree", "build"))
    fresh = os.path.join(work, "pristine.new")
    shutil.rmtree(fresh, ignore_errors=True)
    os.makedirs(work, exist_ok=True)
    handout.make_handout(source, lab.name, fresh, warn=lambda m: None, staff=True)
    if os.path.isdir(pristine) and os.path.isdir(tree):
        # Reuse the trees and their build: bring over only what changed in
        # the staff's source since (ninja then rebuilds only that).
        old = labkit.read_checksums(os.path.join(pristine, handout.MANIFEST))
        new = labkit.read_checksums(os.path.join(fresh, handout.MANIFEST))
        for rel in sorted(set(old) | set(new)):
            if old.get(rel) != new.get(rel):
                for d in (pristine, tree):
                    if os.path.exists(os.path.join(d, rel)):
                        os.remove(os.path.join(d, rel))
                    if rel in new:
                        os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
                        # a new mtime: the staff source's own may be older
                        # than the build's objects, and ninja goes by mtime
                        shutil.copyfile(os.path.join(fresh, rel), os.path.join(d, rel))
                        shutil.copymode(os.path.join(fresh, rel), os.path.join(d, rel))
        shutil.copyfile(os.path.join(fresh, handout.MANIFEST), os.path.join(pristine, handout.MANIFEST))
        shutil.rmtree(fresh)
    else:
        shutil.rmtree(pristine, ignore_errors=True)
        shutil.rmtree(tree, ignore_errors=True)
        os.rename(fresh, pristine)
        shutil.copytree(pristine, tree, symlinks=True)
    if os.path.exists(fresh + ".solution.patch"):
        os.remove(fresh + ".solution.patch")
    if not os.path.isfile(os.path.join(build, "CTestTestfile.cmake")):
        r = subprocess.run(["cmake", "-S", tree, "-B", build, "-G", "Ninja", f"-DCMAKE_TOOLCHAIN_FILE={toolchain}",
                            "-DCMAKE_BUILD_TYPE=RelWithDebInfo"], capture_output=True, text=True)
        if r.returncode != 0:
            raise KitError(f"configuring the staff tree failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    return pristine, tree, build


def safe_rel(name):
    """A hand-in's path, relative and inside the tree, or None."""
    rel = os.path.normpath(name)
    if os.path.isabs(rel) or rel.startswith("..") or rel == "." or "\\" in rel:
        return None
    return rel


def read_handin(path):
    """(metadata, {relative path: bytes}) of one archive."""
    files, meta = {}, {}
    with tarfile.open(path, "r:*") as tar:
        for m in tar.getmembers():
            if m.name == "handin.json" and m.isfile():
                meta = json.load(tar.extractfile(m))
            elif m.name.startswith("files/") and m.isfile():
                rel = safe_rel(m.name[len("files/"):])
                if rel:
                    files[rel] = tar.extractfile(m).read()
    return meta, files


def restore(pristine, tree, changed):
    """Puts the staff's copy back of every file in `changed`."""
    for rel in changed:
        src, dst = os.path.join(pristine, rel), os.path.join(tree, rel)
        if os.path.exists(dst) or os.path.islink(dst):
            os.remove(dst)
        if os.path.exists(src):
            shutil.copyfile(src, dst)  # a new mtime: ninja rebuilds what it touches


def tail(text, n=OUTPUT_TAIL):
    return text if len(text) <= n else "...\n" + text[-n:]


def junit_outputs(path):
    """{test name: its output} from ctest's JUnit report."""
    try:
        tree = grade.read_junit(path)
    except KitError:
        return {}
    return {tc.get("name"): "".join(e.text or "" for e in tc.iter("system-out")) for tc in tree.iter("testcase")}


def grade_one(name, archive, lab, allowed, dirs, args):
    pristine, tree, build = dirs
    meta, files = read_handin(archive)
    taken, ignored = [], []
    for rel, data in sorted(files.items()):
        if rel in allowed:
            with open(os.path.join(tree, rel), "wb") as f:
                f.write(data)
            taken.append(rel)
        else:
            ignored.append(rel)
    if meta.get("lab") not in (None, lab.name):
        ignored.append(f"(the hand-in says it is for lab {meta.get('lab')})")
    log(f"{name}: {len(taken)} file(s) taken: {' '.join(taken) or '-'}; {len(ignored)} ignored")
    header = [f"lab {lab.name}: hand-in {os.path.basename(archive)}",
              "taken (the lab's student files): " + (" ".join(taken) or "none"),
              "ignored (the staff's copies are used): " + (" ".join(ignored) or "none")]
    graded = [(p, t) for p, t in lab.grade if not args.only or t in args.only]
    r = subprocess.run(["cmake", "--build", build], capture_output=True, text=True, errors="replace")
    if r.returncode != 0:
        out = "the staff build of this hand-in failed:\n" + tail(r.stdout + r.stderr)
        tests = [{"name": t, "score": 0, "max_score": p, "status": "failed", "output": out} for p, t in graded]
        return taken, ignored, "failed", tests, "\n".join(header + [out])
    junit = os.path.join(build, f"regrade-{lab.name}.junit.xml")
    if os.path.exists(junit):
        os.remove(junit)
    select = ["-R", "^(" + "|".join(re.escape(t) for _, t in graded) + ")$"] if args.only else \
        ["-L", f"^lab-{lab.name}$"]
    subprocess.run([args.ctest, "--test-dir", build, *select, "--output-junit", junit, "-j", str(args.jobs)],
                   capture_output=True, text=True, errors="replace")
    results = grade.parse_junit(junit) if os.path.exists(junit) else {}
    outputs = junit_outputs(junit)
    tests = []
    for points, test in graded:
        passed, seconds, status = results.get(test, (False, 0.0, "not run"))
        tests.append({"name": test, "score": points if passed else 0, "max_score": points,
                      "status": "passed" if passed else "failed",
                      "output": f"{status} in {seconds:.1f} s" + ("" if passed else "\n" + tail(outputs.get(test, "")))})
    return taken, ignored, "ok", tests, "\n".join(header)


def main(argv=None):
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description="Regrade a directory of hand-ins in a staff tree (docs/course-kit.md).")
    ap.add_argument("lab")
    ap.add_argument("handins", help="a directory of NAME.tar.gz hand-ins")
    ap.add_argument("outdir", help="where grades.csv and NAME/results.json go")
    ap.add_argument("--source", default=here, help="the instructor tree (default: this checkout)")
    ap.add_argument("--work", default=None, help="the staff tree and its build (default: OUTDIR/staff; reused)")
    ap.add_argument("--only", nargs="+", default=None, help="grade only these tests of grade.txt")
    ap.add_argument("--ctest", default="ctest")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    source = os.path.abspath(args.source)
    outdir = os.path.abspath(args.outdir)
    work = os.path.abspath(args.work or os.path.join(outdir, "staff"))
    try:
        lab = labkit.read_lab(source, args.lab)
        if not lab.grade:
            raise KitError(f"{lab.dir}/grade.txt: missing; nothing to grade")
        if args.only:
            unknown = set(args.only) - {t for _, t in lab.grade}
            if unknown:
                raise KitError(f"--only: not in {lab.dir}/grade.txt: {' '.join(sorted(unknown))}")
        archives = sorted(f for f in os.listdir(args.handins) if f.endswith((".tar.gz", ".tgz")))
        if not archives:
            raise KitError(f"{args.handins}: no hand-ins (NAME.tar.gz)")
        os.makedirs(outdir, exist_ok=True)
        log(f"lab {lab.name}: {len(archives)} hand-in(s); staff tree in {work}")
        dirs = staff_tree(source, lab, work, os.path.join(source, "cmake/riscv64-toolchain.cmake"))
        allowed = set(labkit.student_files(dirs[0], lab, labkit.list_tree(dirs[0])))
        log(f"students may change: {' '.join(sorted(allowed))}")
    except KitError as e:
        print(f"regrade: error: {e}", file=sys.stderr)
        return 1
    graded = [t for _, t in lab.grade if not args.only or t in args.only]
    rows, changed = [], set()
    for archive in archives:
        name = archive.rsplit(".tar.gz", 1)[0].rsplit(".tgz", 1)[0]
        restore(dirs[0], dirs[1], changed)
        try:
            taken, ignored, build, tests, output = grade_one(name, os.path.join(args.handins, archive), lab,
                                                             allowed, dirs, args)
        except (tarfile.TarError, OSError, ValueError) as e:
            taken, ignored, build = [], [], "unreadable"
            tests = [{"name": t, "score": 0, "max_score": p, "status": "failed", "output": f"unreadable: {e}"}
                     for p, t in lab.grade if t in graded]
            output = f"the hand-in {archive} cannot be read: {e}"
        changed = set(taken)
        score, top = sum(t["score"] for t in tests), sum(t["max_score"] for t in tests)
        results = {"score": score, "output": output, "tests": tests}
        os.makedirs(os.path.join(outdir, name), exist_ok=True)
        with open(os.path.join(outdir, name, "results.json"), "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)
            f.write("\n")
        rows.append([name, score, top, build] + [t["score"] for t in tests] + [" ".join(ignored)])
        log(f"{name}: {score}/{top} (build {build})")
    restore(dirs[0], dirs[1], changed)
    with open(os.path.join(outdir, "grades.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", "score", "max_score", "build"] + graded + ["ignored_files"])
        w.writerows(rows)
    log(f"wrote {os.path.join(outdir, 'grades.csv')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
