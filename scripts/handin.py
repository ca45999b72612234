#!/usr/bin/env python3
"""Makes a hand-in of a student tree (docs/course-kit.md): `ninja handin`
runs

    scripts/handin.py [LAB] [--source ROOT] [--build BUILD] [--out FILE]

It compares the tree with what was handed out (ROOT/.rvos-handout, which
every handout and the term repository carry) and writes FILE (default:
BUILD/handin-LAB.tar.gz) holding handin.json (the lab, the base, each
changed file's checksum), files/PATH for every changed or new file, and,
in a git checkout, changes.diff (`git diff` against the commit that last
changed .rvos-handout: the handout's own commit, or the staff's latest fix).
LAB defaults to the git branch's lab, or the one lab with a tests.sha256. It
prints the files it took and the ones the lab's grade will ignore (staff
regrade only takes the files the lab lets students change).
"""

import argparse
import datetime
import io
import json
import os
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import handout  # noqa: E402
import labkit  # noqa: E402
from labkit import KitError  # noqa: E402


def git(root, *args):
    r = subprocess.run(["git", "-C", root, *args], capture_output=True)
    return r.stdout if r.returncode == 0 else None


def tree_files(root):
    """The tree's files: in a git checkout what git tracks plus untracked
    files it does not ignore (a new file of the student's), else every file
    but build directories."""
    top = git(root, "rev-parse", "--show-toplevel")
    if top is not None and os.path.samefile(top.decode().strip(), root):
        out = git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").decode("utf-8", "replace")
        cache = {}
        return sorted(rel for rel in set(out.split("\0")) if rel and os.path.isfile(os.path.join(root, rel))
                      and not labkit._in_build_dir(root, rel, cache))
    return labkit.list_tree(root)


def which_lab(root):
    """The lab of this tree: the git branch's name if it is a lab's, else
    the one lab with a tests.sha256 (a lab's handout), else None."""
    names = labkit.lab_names(root)
    branch = git(root, "rev-parse", "--abbrev-ref", "HEAD")
    if branch and branch.decode().strip() in names:
        return branch.decode().strip()
    handed = [n for n in names if os.path.exists(os.path.join(root, "labs", n, labkit.CHECKSUM_FILE))]
    return handed[0] if len(handed) == 1 else None


def main(argv=None):
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description="Make a hand-in of this student tree (docs/course-kit.md).")
    ap.add_argument("lab", nargs="?", default=None)
    ap.add_argument("--source", default=here, help="the student tree (default: this checkout)")
    ap.add_argument("--out", default=None, help="the archive (default: BUILD/handin-LAB.tar.gz)")
    ap.add_argument("--build", default=None, help="the build tree (default: SOURCE/build)")
    ap.add_argument("--fallback", default=None, help="the lab if neither LAB nor the tree says which")
    args = ap.parse_args(argv)
    root = os.path.abspath(args.source)
    try:
        mpath = os.path.join(root, handout.MANIFEST)
        if not os.path.exists(mpath):
            raise KitError(f"{root} has no {handout.MANIFEST}: not a student tree (a handout or term repository)")
        base = labkit.read_checksums(mpath)
        lab_name = args.lab or which_lab(root) or args.fallback
        if not lab_name:
            raise KitError("which lab? (give it: scripts/handin.py LAB, or RVOS_LAB for `ninja handin`)")
        lab = labkit.read_lab(root, lab_name)
        files = tree_files(root)
        changed = [rel for rel in files if rel != handout.MANIFEST
                   and (rel not in base or labkit.sha256_of(os.path.join(root, rel)) != base[rel])]
        removed = sorted(set(base) - set(files))
        allowed = set(labkit.student_files(root, lab, list(base)))
        meta = {
            "lab": lab.name,
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "files": {rel: labkit.sha256_of(os.path.join(root, rel)) for rel in changed},
            "removed": removed,
            "student_files": sorted(allowed),
        }
        diff = None
        base_commit = git(root, "log", "-1", "--format=%H", "--", handout.MANIFEST)
        if base_commit and base_commit.strip():
            meta["base_commit"] = base_commit.decode().strip()
            meta["head_commit"] = (git(root, "rev-parse", "HEAD") or b"").decode().strip()
            diff = git(root, "diff", meta["base_commit"], "--", ".")
        build = args.build or os.path.join(root, "build")
        out = os.path.abspath(args.out or os.path.join(build, f"handin-{lab.name}.tar.gz"))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with tarfile.open(out, "w:gz") as tar:
            def add(name, data):
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = len(data), int(datetime.datetime.now().timestamp()), 0o644
                tar.addfile(info, io.BytesIO(data))

            add("handin.json", (json.dumps(meta, indent=2) + "\n").encode())
            for rel in changed:
                with open(os.path.join(root, rel), "rb") as f:
                    add(f"files/{rel}", f.read())
            if diff is not None:
                add("changes.diff", diff)
    except KitError as e:
        print(f"handin: error: {e}", file=sys.stderr)
        return 1
    graded = [rel for rel in changed if rel in allowed]
    other = [rel for rel in changed if rel not in allowed]
    print(f"handin: lab {lab.name}: {len(changed)} changed file(s) in {out}")
    print("handin: graded (the lab's student files): " + (" ".join(graded) or "none"))
    if other:
        print("handin: the grade ignores (the staff's copies are used): " + " ".join(other))
    return 0


if __name__ == "__main__":
    sys.exit(main())
