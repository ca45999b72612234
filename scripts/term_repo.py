#!/usr/bin/env python3
"""Writes the term's student git repository, or publishes a fix to it
(docs/course-kit.md): `ninja term-repo` runs

    scripts/term_repo.py REPO [--source ROOT] [--labs LAB ...] [-m MESSAGE]

A new REPO gets branch `main`: one commit, the term base (the term
handout, every lab's solutions cut, without labs/), and one branch per
lab, each one commit on top adding labs/LAB (README, lab.txt, grade.txt,
the tests' checksums) and the solutions the lab `keeps:`. Students clone
it and `git checkout LAB`.

On an existing REPO (its work tree clean) the same trees are written again
from ROOT: what changed becomes a commit on `main` ("staff fix: MESSAGE")
and, on each lab branch, a merge of `main` that brings the branch to its
new tree. Students take it with `git pull` (or `git merge origin/LAB`)
on their branch; their own commits stay.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import handout  # noqa: E402
import labkit  # noqa: E402
from labkit import KitError  # noqa: E402

IDENT = ["-c", "user.name=rvos course staff", "-c", "user.email=staff@rvos.invalid", "-c", "commit.gpgsign=false"]


def git(repo, *args, check=True):
    r = subprocess.run(["git", *IDENT, "-C", repo, *args], capture_output=True, text=True)
    if check and r.returncode != 0:
        raise KitError(f"git {' '.join(args)} in {repo} failed: {r.stderr.strip()}")
    return r.stdout


def branch_files(tree, lab):
    """The files of the branch: the handout's, without labs/ but labs/LAB."""
    keep = f"labs/{lab}/" if lab else None
    return [rel for rel in labkit.list_tree(tree) if rel != handout.MANIFEST
            and (not rel.startswith("labs/") or (keep and rel.startswith(keep)))]


def sync(repo, tree, files):
    """Makes REPO's work tree hold exactly `files` of `tree` (and the
    manifest of them)."""
    wanted = set(files)
    for rel in git(repo, "ls-files", "-z").split("\0"):
        if rel and rel not in wanted and rel != handout.MANIFEST:
            os.remove(os.path.join(repo, rel))
    for rel in files:
        dst = os.path.join(repo, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(os.path.join(tree, rel), dst)
    handout.write_manifest(repo, files)
    git(repo, "add", "-A", ".")


def commit(repo, message):
    """Commits what is staged; False if nothing is."""
    if not git(repo, "status", "--porcelain"):
        return False
    git(repo, "commit", "-q", "-m", message)
    return True


def main(argv=None):
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description="Write or update the term's student git repository.")
    ap.add_argument("repo")
    ap.add_argument("--source", default=here, help="the instructor tree (default: this checkout)")
    ap.add_argument("--labs", nargs="+", default=None, help="the term's labs (default: every lab)")
    ap.add_argument("-m", "--message", default="fixes from the course staff", help="the fix's commit message")
    args = ap.parse_args(argv)
    source, repo = os.path.abspath(args.source), os.path.abspath(args.repo)
    try:
        labs = args.labs or labkit.lab_names(source)
        for lab in labs:
            labkit.read_lab(source, lab)
        fresh = not os.path.isdir(os.path.join(repo, ".git"))
        if fresh:
            if os.path.exists(repo) and os.listdir(repo):
                raise KitError(f"{repo} exists, is not empty and is not a git repository")
            os.makedirs(repo, exist_ok=True)
            git(repo, "init", "-q", "-b", "main")
        elif git(repo, "status", "--porcelain"):
            raise KitError(f"{repo}: the work tree has uncommitted changes; commit or remove them first")
        with tempfile.TemporaryDirectory(prefix="rvos-term-") as tmp:
            term = os.path.join(tmp, "term")
            handout.make_handout(source, None, term, warn=lambda m: None)
            git(repo, "checkout", "-q", "main", check=not fresh)
            sync(repo, term, branch_files(term, None))
            if commit(repo, "term base: rvos with every lab's solutions cut" if fresh else
                      f"staff fix: {args.message}"):
                print(f"term-repo: main: {'the term base' if fresh else 'staff fix'} committed")
            else:
                print("term-repo: main: no change")
            branches = set(git(repo, "branch", "--format=%(refname:short)").split())
            for lab in labs:
                tree = os.path.join(tmp, lab)
                handout.make_handout(source, lab, tree, warn=lambda m: None)
                if lab in branches:
                    git(repo, "checkout", "-q", lab)
                    # main's history joins the branch; its tree is the
                    # lab's new one, written next
                    git(repo, "merge", "-q", "--no-commit", "-s", "ours", "main", check=False)
                    message = f"lab {lab}: staff fix: {args.message}"
                else:
                    git(repo, "checkout", "-q", "-b", lab, "main")
                    message = f"lab {lab}: README, tests and grade table"
                sync(repo, tree, branch_files(tree, lab))
                merging = os.path.exists(os.path.join(repo, ".git", "MERGE_HEAD"))
                if commit(repo, message) or (merging and git(repo, "commit", "-q", "-m", message) is not None):
                    print(f"term-repo: branch {lab}: {message}")
                else:
                    print(f"term-repo: branch {lab}: no change")
            git(repo, "checkout", "-q", "main")
    except KitError as e:
        print(f"term-repo: error: {e}", file=sys.stderr)
        return 1
    print(f"term-repo: {repo}: branches main {' '.join(labs)}; students: git clone {repo} && git checkout LAB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
