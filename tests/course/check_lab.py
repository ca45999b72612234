#!/usr/bin/env python3
"""ctest's checks of one lab's handout (docs/course-kit.md), in stages:

  handout   writes WORK/student and its solution patch; checks that no
            solution text is left, that only TODO lines mark the cuts, that
            the cut files are clang-format clean, that the checksums cover
            the lab's tests, that the grader refuses a tampered copy, and
            that the patch restores the original sources exactly (WORK/solved)
  student   builds WORK/student, requires the copy-policy tests given with
            --pass to pass and the ones given with --fail to fail; with
            --grade, grades it: the JSON adds up and misses points
  solution  builds WORK/solved and grades it: every point

    check_lab.py STAGE --lab LAB --source ROOT --work WORK --toolchain FILE [...]
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def run(cmd, **kw):
    print("+ " + " ".join(cmd), flush=True)
    if kw.get("text"):
        # a failing test in a student tree may print any bytes at all
        kw.setdefault("errors", "replace")
    return subprocess.run(cmd, **kw)


def load_labkit(source):
    sys.path.insert(0, os.path.join(source, "scripts"))
    import labkit

    return labkit


def stage_handout(a, labkit):
    student, solved, tampered = (os.path.join(a.work, d) for d in ("student", "solved", "tampered"))
    patch = student + ".solution.patch"
    for d in (student, solved, tampered):
        shutil.rmtree(d, ignore_errors=True)
    if os.path.exists(patch):
        os.remove(patch)
    os.makedirs(a.work, exist_ok=True)
    # The lab's staff tree (only its own solutions cut): the other labs'
    # solutions stay, so the lab's tests can pass once its patch is in.
    # course.handouts checks the student handouts, which cut every lab.
    r = run([sys.executable, os.path.join(a.source, "scripts/handout.py"), a.lab, student, "--source", a.source,
             "--staff"])
    if r.returncode != 0:
        fail(f"handout.py {a.lab} exited with {r.returncode}")
    lab = labkit.read_lab(a.source, a.lab)
    files = labkit.list_tree(a.source)
    removed_tags = set(lab.tags)

    # (a) no solution text in the student tree
    nblocks, cut_files = 0, []
    for rel in files:
        if not labkit.has_marker_suffix(rel):
            continue
        with open(os.path.join(a.source, rel), encoding="utf-8", errors="replace") as f:
            original = f.read()
        with open(os.path.join(student, rel), encoding="utf-8", errors="replace") as f:
            handed = f.read()
        if re.search(r"\bLAB[ \t]+\S+[ \t]+(BEGIN|STUB|END)\b", handed):
            fail(f"{rel}: a solution marker is left in the student tree")
        blocks = [b for b in labkit.parse_markers(original, rel) if b.tag in removed_tags]
        if not blocks:
            continue
        cut_files.append(rel)
        nblocks += len(blocks)
        # A solution line may appear in the student file only as often as
        # the original has it outside the removed solutions (stubs included).
        orig_lines = original.splitlines()
        inside = set()
        for b in blocks:
            inside.update(range(b.begin, b.end + 1))
        allowed = collections.Counter(l.strip() for i, l in enumerate(orig_lines, 1) if i not in inside)
        for b in blocks:
            allowed.update(l.strip() for l in b.stub)
        have = collections.Counter(l.strip() for l in handed.splitlines())
        for b in blocks:
            for line in b.solution:
                s = line.strip()
                if s and have[s] > allowed[s]:
                    fail(f"{rel}: solution line {s!r} (LAB {b.tag} block at line {b.begin}) is in the student tree")
        todos = re.findall(r"/\* TODO\(lab ([a-z0-9_-]+)\): ", handed)
        if len(todos) != len(blocks) or set(todos) - removed_tags:
            fail(f"{rel}: {len(todos)} TODO lines for {len(blocks)} removed solutions")
    if nblocks == 0:
        fail(f"lab {a.lab}: the handout removed no solution")
    print(f"ok: {nblocks} solutions removed from {len(cut_files)} files, no solution line left")

    clang_format = shutil.which("clang-format")
    if clang_format:
        r = run([clang_format, "--dry-run", "-Werror"] + [f for f in cut_files if f.endswith((".c", ".h"))],
                cwd=student)
        if r.returncode != 0:
            fail("the student tree's cut files are not clang-format clean (the style test would fail there)")
        print("ok: the cut files are clang-format clean")

    # the checksums cover the lab's tests and grade.txt, and match
    sums = labkit.read_checksums(os.path.join(student, lab.dir, labkit.CHECKSUM_FILE))
    for rel in [f"{lab.dir}/grade.txt", f"{lab.dir}/lab.txt"] + labkit.checked_files(a.source, lab, files):
        if rel not in sums:
            fail(f"tests.sha256 does not cover {rel}")
        if labkit.sha256_of(os.path.join(student, rel)) != sums[rel]:
            fail(f"tests.sha256 disagrees with the student tree's {rel}")
    print(f"ok: tests.sha256 covers {len(sums)} files")

    # (d) the grader refuses a tampered copy, naming the files
    shutil.copytree(student, tampered, symlinks=True)
    guest_tests = sorted(f for f in sums if f.startswith("tests/") and f.endswith(".c"))
    victim, gone = guest_tests[0], f"{lab.dir}/grade.txt"
    with open(os.path.join(tampered, victim), "a") as f:
        f.write("/* a student was here */\n")
    os.remove(os.path.join(tampered, gone))
    r = run([sys.executable, os.path.join(tampered, "scripts/grade.py"), a.lab, "--source", tampered, "--build",
             os.path.join(a.work, "no-such-build")], capture_output=True, text=True)
    print(r.stdout + r.stderr)
    if r.returncode != 2 or victim not in r.stderr or gone not in r.stderr or "refusing" not in r.stderr:
        fail(f"the grader did not refuse the tampered tree with exit status 2 naming {victim} and {gone}")
    print("ok: the grader refuses a tampered tree and names the files")

    # (c) the patch restores the original sources, byte for byte
    shutil.copytree(student, solved, symlinks=True)
    with open(patch) as f:
        r = run(["patch", "-p1", "--quiet", "--no-backup-if-mismatch"], cwd=solved, stdin=f)
    if r.returncode != 0:
        fail("the solution patch does not apply to the student tree")
    for rel in files:
        with open(os.path.join(a.source, rel), "rb") as f1, open(os.path.join(solved, rel), "rb") as f2:
            if f1.read() != f2.read():
                fail(f"{rel}: the patched student tree differs from the original")
    extra = set(labkit.list_tree(solved)) - set(files) - {f"{lab.dir}/{labkit.CHECKSUM_FILE}", ".rvos-handout"}
    if extra:
        fail(f"the patched tree has files the original does not: {sorted(extra)}")
    print(f"ok: the solution patch restores all {len(files)} files exactly")


def build(a, tree, builddir, targets):
    r = run(["cmake", "-S", tree, "-B", builddir, "-G", "Ninja", f"-DCMAKE_TOOLCHAIN_FILE={a.toolchain}",
             "-DCMAKE_BUILD_TYPE=RelWithDebInfo"], stdout=subprocess.DEVNULL)
    if r.returncode != 0:
        fail(f"configuring {tree} failed")
    r = run(["cmake", "--build", builddir, "--target"] + targets)
    if r.returncode != 0:
        fail(f"building {tree} failed")


def ctest_one(a, builddir, name):
    # -FS: not the build test every test requires (tests/CMakeLists.txt):
    # this script built the tree, and counts exactly one test below.
    r = run([a.ctest, "--test-dir", builddir, "-R", f"^{re.escape(name)}$", "-FS", "rvos_build",
             "--output-on-failure"], capture_output=True, text=True)
    ran = re.search(r"tests passed, (\d+) tests failed out of (\d+)", r.stdout)
    if not ran or ran[2] != "1":
        fail(f"ctest found no test {name} in {builddir}:\n{r.stdout}{r.stderr}")
    return ran[1] == "0", r.stdout


def grade(a, tree, builddir):
    out = os.path.join(builddir, f"grade-{a.lab}.json")
    if os.path.exists(out):
        os.remove(out)
    r = run([sys.executable, os.path.join(tree, "scripts/grade.py"), a.lab, "--source", tree, "--build", builddir,
             "--ctest", a.ctest, "-j", "2"])
    if r.returncode != 0:
        fail(f"grade.py exited with {r.returncode}")
    with open(out) as f:
        rep = json.load(f)
    for key in ("lab", "tests", "total", "max", "checksums_verified", "timestamp"):
        if key not in rep:
            fail(f"{out}: no '{key}'")
    if rep["lab"] != a.lab or not rep["tests"]:
        fail(f"{out}: wrong lab or no tests")
    if sum(t["points"] for t in rep["tests"]) != rep["max"]:
        fail(f"{out}: points do not add up to max")
    if sum(t["points"] for t in rep["tests"] if t["passed"]) != rep["total"]:
        fail(f"{out}: the passed tests' points do not add up to total")
    if not rep["checksums_verified"]:
        fail(f"{out}: the handout's checksums were not verified")
    return rep


def stage_student(a):
    student, builddir = os.path.join(a.work, "student"), os.path.join(a.work, "student-build")
    build(a, student, builddir, a.targets)
    for name in a.passing:
        ok, out = ctest_one(a, builddir, name)
        if not ok:
            fail(f"{name} fails in the student tree of lab {a.lab}:\n{out}")
        print(f"ok: {name} passes in the student tree")
    for name in a.failing:
        ok, out = ctest_one(a, builddir, name)
        if ok:
            fail(f"{name} passes in the student tree of lab {a.lab}, with the solution cut out")
        print(f"ok: {name} fails in the student tree, as it should before the lab is done")
    if a.grade:
        rep = grade(a, student, builddir)
        failed = [t["name"] for t in rep["tests"] if not t["passed"]]
        if rep["total"] >= rep["max"] or not failed:
            fail(f"the untouched student tree scored {rep['total']}/{rep['max']}")
        print(f"ok: the student tree scores {rep['total']}/{rep['max']}; failing: {' '.join(failed)}")


def stage_solution(a):
    solved, builddir = os.path.join(a.work, "solved"), os.path.join(a.work, "solved-build")
    build(a, solved, builddir, a.targets)
    rep = grade(a, solved, builddir)
    if rep["total"] != rep["max"]:
        failed = [t["name"] for t in rep["tests"] if not t["passed"]]
        fail(f"the solved tree scored {rep['total']}/{rep['max']}; failing: {' '.join(failed)}")
    print(f"ok: the student tree with the solution patch scores {rep['total']}/{rep['max']}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("stage", choices=("handout", "student", "solution"))
    ap.add_argument("--lab", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--toolchain", required=True)
    ap.add_argument("--ctest", default="ctest")
    ap.add_argument("--targets", nargs="+", default=["rvos", "rvos-debug", "initramfs"])
    ap.add_argument("--pass", dest="passing", nargs="*", default=[])
    ap.add_argument("--fail", dest="failing", nargs="*", default=[])
    ap.add_argument("--grade", action="store_true")
    a = ap.parse_args()
    a.source, a.work = os.path.abspath(a.source), os.path.abspath(a.work)
    if a.stage == "handout":
        stage_handout(a, load_labkit(a.source))
    elif a.stage == "student":
        stage_student(a)
    else:
        stage_solution(a)
    print(f"check_lab {a.stage} {a.lab}: passed")


if __name__ == "__main__":
    main()
