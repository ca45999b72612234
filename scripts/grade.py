#!/usr/bin/env python3
"""Grades one lab (docs/course-kit.md): `ninja grade-LAB` runs

    scripts/grade.py LAB --source ROOT --build BUILD

It checks the lab's test files against labs/LAB/tests.sha256 (written by
the handout; an instructor tree has none), runs the tests labs/LAB/grade.txt
lists (`ctest -L ^lab-LAB$`), prints a table of points and writes
BUILD/grade-LAB.json. Failing tests are a score, not an error: the exit
status is 0 whenever a grade was given; 1 on bad input, 2 if the tests were
tampered with.
"""

import argparse
import re
import datetime
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import labkit  # noqa: E402
from labkit import KitError  # noqa: E402


class Tampered(Exception):
    pass


def verify(root, lab):
    """True if the checksums were verified, False for an instructor tree.
    Raises Tampered naming every file that differs or is missing."""
    path = os.path.join(root, lab.dir, labkit.CHECKSUM_FILE)
    if not os.path.exists(path):
        return False
    sums = labkit.read_checksums(path)
    if not sums:
        raise KitError(f"{path}: empty")
    bad = []
    for rel, digest in sorted(sums.items()):
        full = os.path.join(root, rel)
        if not os.path.isfile(full):
            bad.append(f"{rel} (missing)")
        elif labkit.sha256_of(full) != digest:
            bad.append(f"{rel} (modified)")
    if bad:
        raise Tampered("these test files differ from the ones handed out:\n  " + "\n  ".join(bad))
    return True


def read_junit(path):
    """ctest's --output-junit report, parsed."""
    # A failing test may print any bytes at all (a student's kernel writing
    # garbage), and ctest copies its output into the report as it is: read
    # it leniently, dropping what XML 1.0 cannot hold.
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", errors="replace")
        text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "?", text)
        return ET.ElementTree(ET.fromstring(text))
    except (OSError, ET.ParseError) as e:
        raise KitError(f"cannot read ctest's JUnit report {path}: {e}") from None


def parse_junit(path):
    """{test name: (passed, seconds, status)} from ctest's --output-junit."""
    tree = read_junit(path)
    results = {}
    for tc in tree.iter("testcase"):
        name = tc.get("name")
        status = tc.get("status", "")
        failed = tc.find("failure") is not None or tc.find("error") is not None
        skipped = tc.find("skipped") is not None or status in ("notrun", "disabled")
        passed = status == "run" and not failed and not skipped
        try:
            seconds = float(tc.get("time", "0"))
        except ValueError:
            seconds = 0.0
        results[name] = (passed, seconds, "passed" if passed else ("not run" if skipped else "failed"))
    return results


def run_tests(lab, build, ctest, jobs, junit):
    if not os.path.isfile(os.path.join(build, "CTestTestfile.cmake")):
        raise KitError(f"{build} is not a configured build tree (run `cmake --preset default` first)")
    if os.path.exists(junit):
        os.remove(junit)
    cmd = [ctest, "--test-dir", build, "-L", f"^lab-{lab.name}$", "--output-junit", junit, "-j", str(jobs),
           "--output-on-failure"]
    print("grade: running " + " ".join(cmd), flush=True)
    r = subprocess.run(cmd)
    if not os.path.exists(junit):
        raise KitError(f"ctest wrote no report (exit status {r.returncode}); is the build tree current?")
    return parse_junit(junit)


def grade(lab, results, verified):
    rows, total, top = [], 0, 0
    for points, name in lab.grade:
        passed, seconds, status = results.get(name, (False, 0.0, "not run"))
        rows.append({"name": name, "points": points, "passed": passed, "status": status,
                     "seconds": round(seconds, 2), "earned": points if passed else 0})
        top += points
        total += points if passed else 0
    return {
        "lab": lab.name,
        "title": lab.title,
        "tests": rows,
        "total": total,
        "max": top,
        "checksums_verified": verified,
        "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }


def print_table(report):
    width = max(len("test"), *(len(r["name"]) for r in report["tests"]))
    print(f"\nlab {report['lab']}: {report['title']}")
    print(f"{'test':<{width}}  points  result   seconds")
    for r in report["tests"]:
        print(f"{r['name']:<{width}}  {r['earned']:>3}/{r['points']:<3} {r['status']:<8} {r['seconds']:>7.2f}")
    print(f"{'total':<{width}}  {report['total']:>3}/{report['max']:<3}")
    if not report["checksums_verified"]:
        print("(instructor tree: test files not verified)")


def main(argv=None):
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description="Grade one lab (docs/course-kit.md).")
    ap.add_argument("lab")
    ap.add_argument("--source", default=here, help="the source tree (default: this checkout)")
    ap.add_argument("--build", default=None, help="its configured build tree (default: SOURCE/build)")
    ap.add_argument("--ctest", default="ctest")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--json", default=None, help="the report (default: BUILD/grade-LAB.json)")
    args = ap.parse_args(argv)
    source = os.path.abspath(args.source)
    build = os.path.abspath(args.build or os.path.join(source, "build"))
    try:
        lab = labkit.read_lab(source, args.lab)
        try:
            verified = verify(source, lab)
        except Tampered as e:
            print(f"grade: refusing to grade lab {lab.name}: {e}\n"
                  f"grade: restore them (the handout's copies) and grade again", file=sys.stderr)
            return 2
        if not lab.grade:
            raise KitError(f"{lab.dir}/grade.txt: missing; nothing to grade")
        if verified:
            print(f"grade: the test files match {lab.dir}/{labkit.CHECKSUM_FILE}")
        else:
            others = [n for n in labkit.lab_names(source)
                      if os.path.exists(os.path.join(source, "labs", n, labkit.CHECKSUM_FILE))]
            if others:
                print(f"grade: warning: this tree is a handout of lab {' '.join(others)}, not of {lab.name}: "
                      f"no {lab.dir}/{labkit.CHECKSUM_FILE}, the test files are not verified")
            else:
                print(f"grade: no {lab.dir}/{labkit.CHECKSUM_FILE}: grading an instructor tree; "
                      "the test files are not verified")
        junit = os.path.join(build, f"grade-{lab.name}.junit.xml")
        results = run_tests(lab, build, args.ctest, args.jobs, junit)
        report = grade(lab, results, verified)
        out = args.json or os.path.join(build, f"grade-{lab.name}.json")
        with open(out, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)
            f.write("\n")
    except KitError as e:
        print(f"grade: error: {e}", file=sys.stderr)
        return 1
    print_table(report)
    print(f"grade: report written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
