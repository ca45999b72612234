#!/usr/bin/env python3
"""Writes the student tree of one lab (docs/course-kit.md).

    scripts/handout.py LAB|term OUTDIR [--source ROOT] [--staff]

copies the files git tracks in ROOT (default: this checkout) into OUTDIR
with every lab's solutions cut out (each becomes a TODO line and its stub;
LAB `keeps:` tags stay solved), writes the checksums of the lab's test
files to OUTDIR/labs/LAB/tests.sha256, what was handed out to
OUTDIR/.rvos-handout, and LAB's own reference solution to
OUTDIR.solution.patch. LAB `term` cuts every lab's solutions (the term
handout). --staff cuts only LAB's own (the tree a staff regrade builds;
its patch gives back the original sources).
"""

import argparse
import difflib
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import labkit  # noqa: E402
from labkit import KitError  # noqa: E402


def read_text(path):
    """The file's text, or None if it is not UTF-8 (copied as it is)."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def unified_diff(rel, old, new):
    """A `patch -p1` / `git apply` diff turning text old into new."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    out = []
    for line in difflib.unified_diff(a, b, f"a/{rel}", f"b/{rel}", n=3):
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def check_outdir(outdir, root):
    outdir = os.path.abspath(outdir)
    if os.path.exists(outdir):
        if not os.path.isdir(outdir):
            raise KitError(f"{outdir} exists and is not a directory")
        if os.listdir(outdir):
            raise KitError(f"{outdir} already exists and is not empty; give a new directory (or remove it)")
    if outdir == root or root.startswith(outdir + os.sep):
        raise KitError(f"{outdir} contains the source tree {root}")
    return outdir


MANIFEST = ".rvos-handout"


def write_manifest(outdir, files):
    with open(os.path.join(outdir, MANIFEST), "w", encoding="utf-8") as f:
        f.write("".join(f"{labkit.sha256_of(os.path.join(outdir, rel))}  {rel}\n" for rel in sorted(set(files))))


def make_handout(root, lab_name, outdir, warn=print, staff=False):
    """Writes a student tree. lab_name None: the term handout, every lab's
    solutions cut. A lab's handout cuts every lab's tags as well, but the
    ones it `keeps:`; staff=True cuts only the lab's own (the pristine tree
    a staff regrade builds, never handed out)."""
    root = os.path.abspath(root)
    known_tags = labkit.all_tags(root)
    lab = labkit.read_lab(root, lab_name) if lab_name else None
    for w in (lab.warnings if lab else []):
        warn(f"warning: {w}")
    outdir = check_outdir(outdir, root)
    if lab is None:
        removed = set(known_tags)
    elif staff:
        removed = set(lab.tags)
    else:
        removed = (known_tags - set(lab.keeps)) | set(lab.tags)
    files = labkit.list_tree(root, exclude=[outdir])
    if not files:
        raise KitError(f"{root}: no files to hand out")

    # Parse every marked file first: nothing is written unless all are sound.
    errors, parsed, texts = [], {}, {}
    for rel in files:
        if not labkit.has_marker_suffix(rel) or os.path.islink(os.path.join(root, rel)):
            continue
        text = read_text(os.path.join(root, rel))
        if text is None:
            continue
        try:
            blocks = labkit.parse_markers(text, rel)
        except KitError as e:
            errors.append(str(e))
            continue
        if blocks:
            parsed[rel], texts[rel] = blocks, text
    if errors:
        raise KitError("bad solution markers:\n  " + "\n  ".join(errors))
    seen_tags = {b.tag for blocks in parsed.values() for b in blocks}
    for tag in sorted(seen_tags - known_tags):
        where = ", ".join(f"{b.path}:{b.begin}" for bl in parsed.values() for b in bl if b.tag == tag)
        warn(f"warning: marker tag '{tag}' is removed by no lab (labs/*/lab.txt); kept as solution: {where}")
    missing = (set(lab.tags) if lab else removed) - seen_tags
    if missing:
        where = f"labs/{lab.name}/lab.txt" if lab else "labs/*/lab.txt"
        raise KitError(f"{where}: no file has a marker for tag(s) {' '.join(sorted(missing))}")
    # The solution patch restores the lab's own solutions only: the other
    # labs' stay cut (a term hands them out one at a time).
    own = set(lab.tags) if lab else set()

    os.makedirs(outdir, exist_ok=True)
    patch, nremoved, changed = [], 0, 0
    for rel in files:
        src, dst = os.path.join(root, rel), os.path.join(outdir, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if rel not in parsed:
            shutil.copy2(src, dst, follow_symlinks=False)
            continue
        student = labkit.render(texts[rel], parsed[rel], removed)
        with open(dst, "w", encoding="utf-8", newline="") as f:
            f.write(student)
        shutil.copymode(src, dst)
        nremoved += sum(1 for b in parsed[rel] if b.tag in removed)
        if student != texts[rel]:
            changed += 1
            # a staff tree's patch gives back the instructor's file as it is
            solved = texts[rel] if staff else labkit.render(texts[rel], parsed[rel], removed - own)
            if solved != student:
                patch.append(unified_diff(rel, student, solved))

    sums_path = patch_path = None
    checked = []
    if lab:
        checked = labkit.checked_files(outdir, lab, files)
        sums_path = os.path.join(outdir, lab.dir, labkit.CHECKSUM_FILE)
        with open(sums_path, "w", encoding="utf-8") as f:
            f.write("".join(f"{labkit.sha256_of(os.path.join(outdir, rel))}  {rel}\n" for rel in checked))
        patch_path = outdir + ".solution.patch"
        with open(patch_path, "w", encoding="utf-8") as f:
            f.write("".join(patch))
    # What was handed out, file by file (sha256sum's format: one line a
    # file, so that git merges two labs' branches line by line):
    # `scripts/handin.py` hands in what differs from it, and a tree with
    # this file is a student tree (no course-kit tests).
    write_manifest(outdir, files + ([os.path.relpath(sums_path, outdir)] if sums_path else []))
    return {
        "files": len(files),
        "removed": nremoved,
        "changed": changed,
        "checked": len(checked),
        "patch": patch_path,
        "sums": sums_path,
        "tags": sorted(removed),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write the student tree of one lab (docs/course-kit.md).")
    ap.add_argument("lab", help="the lab: a directory labs/LAB with a lab.txt; 'term': every lab's solutions cut")
    ap.add_argument("outdir", help="where the student tree goes (must not exist, or be empty)")
    ap.add_argument("--source", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    help="the instructor tree (default: this checkout)")
    ap.add_argument("--staff", action="store_true",
                    help="cut only the lab's own solutions (the staff regrade's tree; never hand it out)")
    args = ap.parse_args(argv)
    try:
        lab = None if args.lab == "term" else args.lab
        r = make_handout(args.source, lab, args.outdir, warn=lambda m: print(m, file=sys.stderr), staff=args.staff)
    except KitError as e:
        print(f"handout: error: {e}", file=sys.stderr)
        return 1
    print(f"handout: lab {args.lab} (tags: {' '.join(r['tags'])}): {r['files']} files in {args.outdir}; "
          f"{r['removed']} solutions removed, {r['changed']} files differ from the source")
    if r["sums"]:
        print(f"handout: checksums of {r['checked']} test files: {r['sums']}")
        print(f"handout: reference solution: {r['patch']} (apply inside the student tree with patch -p1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
