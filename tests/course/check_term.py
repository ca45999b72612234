#!/usr/bin/env python3
"""ctest's check of what a term hands out (docs/course-kit.md, "A term in
git"), in two parts:

  build  writes the term handout (every lab's solutions cut) into
         WORK/handout, configures it with the students' preset and builds
         it from scratch (WORK/handout/build), and boots it: the guest
         tests given with --boot must pass (their own verdict lines, with
         the run's token, as ctest requires)
  repo   writes the students' repository (scripts/term_repo.py) into
         WORK/repo, clones it as a student would and checks out every lab
         branch in turn: the branch holds labs/LAB (README.md, lab.txt,
         grade.txt, tests.sha256) and no other lab's directory, its
         tests.sha256 matches its files, and every file or directory its
         README names (`mm/fault.c`, `labs/cow/README.md`, `docs/mm.md`,
         globs like `tests/guest/cow_*.c`) is on that branch

    check_term.py [build] [repo] --source ROOT --work WORK [--boot TEST ...]

WORK is emptied first: every run starts from scratch.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import time

from kit_steps import GIT, fail, run  # noqa: E402
# Top-level names a README may point into; build/ is made by the student.
TREE_ROOTS = ("arch", "cmake", "docs", "drivers", "include", "kernel", "labs", "mm", "scripts", "tests",
              "userland", "tools")


def load_labkit(source):
    sys.path.insert(0, os.path.join(source, "scripts"))
    import labkit

    return labkit


def stage_build(a):
    tree = os.path.join(a.work, "handout")
    t0 = time.monotonic()
    run([sys.executable, os.path.join(a.source, "scripts/handout.py"), "term", tree, "--source", a.source])
    if not os.path.isfile(os.path.join(tree, ".rvos-handout")):
        fail("the term handout has no .rvos-handout: it would build as an instructor tree")
    # what a student types (docs/course-kit.md): the preset, then the build
    run(["cmake", "--preset", "default"], cwd=tree, stdout=subprocess.DEVNULL)
    build = os.path.join(tree, "build")
    run(["cmake", "--build", build, "--target", *a.targets])
    t1 = time.monotonic()
    print(f"ok: the term handout configures and builds from scratch ({t1 - t0:.0f} s)")
    if a.boot:
        # -FS: not the build test (it builds every target); the tests' own
        # targets were built above.
        names = "|".join(re.escape(n) for n in a.boot)
        cmd = [a.ctest, "--test-dir", build, "-R", f"^({names})$", "-FS", "rvos_build", "--output-on-failure"]
        print("+ " + " ".join(cmd), flush=True)
        r = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
        print(r.stdout + r.stderr)
        ran = re.search(r"(\d+)% tests passed, (\d+) tests failed out of (\d+)", r.stdout)
        if not ran or ran[3] != str(len(a.boot)):
            fail(f"ctest did not find the {len(a.boot)} tests {' '.join(a.boot)} in the term handout")
        if r.returncode != 0 or ran[2] != "0":
            fail(f"a guest test failed in the term handout: {' '.join(a.boot)}")
        print(f"ok: the term handout boots and passes {' '.join(a.boot)} ({time.monotonic() - t1:.0f} s)")


def readme_refs(text):
    """The repository paths a README names: words in backticks or link
    targets whose first component is a top-level directory of the tree."""
    words = re.findall(r"`([^`\n]+)`", text) + re.findall(r"\]\(([^)\s]+)\)", text)
    refs = set()
    for w in words:
        for tok in w.split():
            tok = tok.strip("\"'.,;:()")
            tok = re.sub(r":\d+$", "", tok)  # file:line
            if "/" in tok and tok.split("/", 1)[0] in TREE_ROOTS and not re.search(r"[=$<>{}]", tok):
                refs.add(tok.rstrip("/") if tok != "/" else tok)
    return sorted(refs)


def missing_refs(tree, refs):
    return [r for r in refs if not glob.glob(os.path.join(tree, r))]


def stage_repo(a, labkit):
    repo, student = os.path.join(a.work, "repo"), os.path.join(a.work, "student")
    labs = labkit.lab_names(a.source)
    run([sys.executable, os.path.join(a.source, "scripts/term_repo.py"), repo, "--source", a.source])
    run(GIT + ["clone", "-q", repo, student])
    problems = []
    base = set(os.listdir(os.path.join(student, "labs"))) if os.path.isdir(os.path.join(student, "labs")) else set()
    if base:
        problems.append(f"main: labs/ holds {sorted(base)} (the term base has no lab)")
    for lab in labs:
        r = subprocess.run(GIT + ["-C", student, "checkout", "-q", lab], capture_output=True, text=True)
        if r.returncode != 0:
            problems.append(f"{lab}: git checkout {lab} failed: {r.stderr.strip()}")
            continue
        status = subprocess.run(GIT + ["-C", student, "status", "--porcelain"], capture_output=True, text=True)
        if status.stdout.strip():
            problems.append(f"{lab}: the work tree is not clean after the checkout: {status.stdout.strip()}")
        labdir = os.path.join(student, "labs", lab)
        for name in ("README.md", "lab.txt", "grade.txt", labkit.CHECKSUM_FILE):
            if not os.path.isfile(os.path.join(labdir, name)):
                problems.append(f"{lab}: no labs/{lab}/{name} on the branch")
        others = sorted(set(os.listdir(os.path.join(student, "labs"))) - {lab})
        if others:
            problems.append(f"{lab}: the branch holds other labs' directories: {others}")
        sums = os.path.join(labdir, labkit.CHECKSUM_FILE)
        if os.path.isfile(sums):
            for rel, digest in labkit.read_checksums(sums).items():
                path = os.path.join(student, rel)
                if not os.path.isfile(path) or labkit.sha256_of(path) != digest:
                    problems.append(f"{lab}: {rel} does not match labs/{lab}/tests.sha256")
        readme = os.path.join(labdir, "README.md")
        if os.path.isfile(readme):
            with open(readme, encoding="utf-8") as f:
                refs = readme_refs(f.read())
            for ref in missing_refs(student, refs):
                problems.append(f"{lab}: labs/{lab}/README.md names {ref}, which is not on the branch")
            print(f"{lab}: README names {len(refs)} paths")
    if problems:
        fail("the term repository:\n  " + "\n  ".join(problems))
    print(f"ok: every lab branch ({len(labs)}) checks out, holds its lab and the files its README names")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("stages", nargs="*", choices=("build", "repo"), default=["build", "repo"])
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--ctest", default="ctest")
    ap.add_argument("--targets", nargs="+", default=["rvos", "initramfs"])
    ap.add_argument("--boot", nargs="*", default=[])
    a = ap.parse_args()
    a.source, a.work = os.path.abspath(a.source), os.path.abspath(a.work)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    labkit = load_labkit(a.source)
    if "repo" in a.stages:
        stage_repo(a, labkit)
    if "build" in a.stages:
        stage_build(a)
    print("check_term: passed")


if __name__ == "__main__":
    main()
