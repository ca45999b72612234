#!/usr/bin/env python3
"""Runs mutants of the labs' solutions (tests/course/mutants/LAB/NN-name.patch,
each a typical student bug applied to the solution tree) and checks that the
lab's grade catches every one: some graded test (label lab-LAB) fails, so
the grade is below the maximum.

    run.py --source ROOT --work WORK --toolchain FILE --ctest CTEST [--lab LAB ...] [--only LAB/NAME ...]

One scratch copy of the source tree (WORK/src, synchronised with ROOT's
files on every run: only changed files are rewritten, so the build stays
incremental) and one build of it (WORK/build) serve every mutant: apply the
patch, rebuild what changed, run the lab's graded tests until the first
failure, put the patched files back. A mutant that no longer applies is an
error (it must be brought up to date with the solution). Writes
WORK/mutants.json (per mutant: caught or not, the first failing test) and
prints the mutation score per lab. Exit status 0 only if every mutant ran
and was caught.
"""

import argparse
import filecmp
import glob
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, **kw):
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, **kw)


def sync_tree(source, dest):
    """Makes dest hold exactly the files of source's tree (labkit's list:
    tracked files and untracked ones git does not ignore)."""
    sys.path.insert(0, os.path.join(source, "scripts"))
    import labkit

    files = set(labkit.list_tree(source))
    for rel in files:
        s, d = os.path.join(source, rel), os.path.join(dest, rel)
        if os.path.isfile(d) and filecmp.cmp(s, d, shallow=False):
            continue
        os.makedirs(os.path.dirname(d), exist_ok=True)
        shutil.copy(s, d)
    for dirpath, _, names in os.walk(dest):
        for n in names:
            rel = os.path.relpath(os.path.join(dirpath, n), dest)
            if rel not in files:
                os.remove(os.path.join(dirpath, n))


def patched_files(patch):
    with open(patch, encoding="utf-8") as f:
        return [m.group(1) for m in re.finditer(r"^\+\+\+ b/(\S+)", f.read(), re.M)]


def restore(originals, src, files):
    """Puts back the solution's version of files, as read when the run
    began (the source tree may change meanwhile). A fresh modification
    time: ninja must see it as newer than the mutant's objects."""
    for rel in files:
        with open(os.path.join(src, rel), "wb") as f:
            f.write(originals[rel])


def failed_tests(build):
    """The failing tests of ctest's last run in build."""
    path = os.path.join(build, "Testing", "Temporary", "LastTestsFailed.log")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [line.strip().split(":", 1)[-1] for line in f if line.strip()]


def graded_failures(a, build, lab, log):
    """Runs lab's graded tests in build until the first failure (output in
    log); whether one failed."""
    # This script builds; the build test (tests/CMakeLists.txt) must not.
    # A mutant often hangs a test: fail it after a minute, as a grade does
    # (cmake/run-guest.sh), and with --stop-on-failure ctest then stops.
    env = dict(os.environ, RVOS_SKIP_BUILD_TEST="1", RVOS_HANG_SECONDS=os.environ.get("RVOS_HANG_SECONDS", "60"))
    with open(log, "w", encoding="utf-8") as out:
        r = run([a.ctest, "--test-dir", build, "-L", f"^lab-{lab}$", "--stop-on-failure", "-j", a.jobs,
                 "--output-on-failure"], stdout=out, stderr=subprocess.STDOUT, env=env)
    return r.returncode != 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--toolchain", required=True)
    ap.add_argument("--ctest", default="ctest")
    ap.add_argument("--lab", action="append", default=[])
    ap.add_argument("--only", action="append", default=[], help="LAB/NAME (without .patch)")
    ap.add_argument("-j", "--jobs", default="2")
    ap.add_argument("--targets", nargs="+", default=[],
                    help="build only these targets (default: all); the lab's graded tests must need no others")
    a = ap.parse_args()

    mutants = sorted(glob.glob(os.path.join(HERE, "*", "*.patch")))
    rel = lambda p: os.path.relpath(p, HERE)[: -len(".patch")]
    if a.lab:
        mutants = [p for p in mutants if rel(p).split("/")[0] in a.lab]
    if a.only:
        unknown = set(a.only) - {rel(p) for p in mutants}
        if unknown:
            sys.exit(f"run.py: no such mutant: {', '.join(sorted(unknown))}")
        mutants = [p for p in mutants if rel(p) in a.only]
    if not mutants:
        sys.exit("run.py: no mutants selected")

    src, build = os.path.join(a.work, "src"), os.path.join(a.work, "build")
    os.makedirs(src, exist_ok=True)
    sync_tree(a.source, src)
    if not os.path.exists(os.path.join(build, "CMakeCache.txt")):
        r = run(["cmake", "-G", "Ninja", "-S", src, "-B", build, f"-DCMAKE_TOOLCHAIN_FILE={a.toolchain}",
                 "-DRVOS_COURSE_TESTS=OFF"])
        if r.returncode:
            sys.exit("run.py: configuring the scratch tree failed")

    # The solution itself must pass every graded test of these labs, or a
    # failing test would prove nothing about a mutant.
    touched = sorted({f for p in mutants for f in patched_files(p)})
    originals = {}
    for path in touched:
        with open(os.path.join(src, path), "rb") as f:
            originals[path] = f.read()
    restore(originals, src, touched)
    build_cmd = ["cmake", "--build", build] + (["--target"] + a.targets if a.targets else [])
    if run(build_cmd).returncode:
        sys.exit("run.py: the solution does not build in the scratch tree")
    for lab in sorted({rel(p).split("/")[0] for p in mutants}):
        if graded_failures(a, build, lab, os.path.join(a.work, f"solution-{lab}.log")):
            sys.exit(f"run.py: the solution fails graded tests of lab {lab}: {', '.join(failed_tests(build))}"
                     f" (see {a.work}/solution-{lab}.log)")

    results = []
    for p in mutants:
        name = rel(p)
        lab = name.split("/")[0]
        files = patched_files(p)
        print(f"==== mutant {name}", flush=True)
        res = {"mutant": name, "lab": lab, "caught": False, "failed": [], "error": None}
        try:
            apply = ["patch", "-p1", "--batch", "--forward", "--no-backup-if-mismatch", "-d", src, "-i", p]
            if run(apply + ["--dry-run"]).returncode:
                res["error"] = "the patch does not apply to the solution"
                continue
            run(apply, check=True)
            r = run(build_cmd)
            if r.returncode:
                # A student would fix a compile error: the mutant is broken.
                res["error"] = "the mutant does not build"
                continue
            log = os.path.join(a.work, name.replace("/", "-") + ".log")
            res["caught"] = graded_failures(a, build, lab, log)
            res["failed"] = failed_tests(build) if res["caught"] else []
        finally:
            restore(originals, src, files)
            results.append(res)
            print(f"==== {name}: " + (res["error"] or ("caught by " + ", ".join(res["failed"]) if res["caught"]
                                                      else "NOT CAUGHT: every graded test passed")), flush=True)
    # Back to the solution, so that the next run starts from a built tree.
    run(build_cmd, stdout=subprocess.DEVNULL)

    with open(os.path.join(a.work, "mutants.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, indent=2)
    print("\nmutation score per lab (caught / mutants):")
    for lab in sorted({r["lab"] for r in results}):
        rs = [r for r in results if r["lab"] == lab]
        print(f"  {lab:10} {sum(r['caught'] for r in rs)}/{len(rs)}")
    bad = [r for r in results if r["error"] or not r["caught"]]
    for r in bad:
        print(f"FAIL: {r['mutant']}: {r['error'] or 'not caught'}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
