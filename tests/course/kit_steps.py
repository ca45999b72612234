"""What the course-kit checks share (check_regrade.py, check_term.py): a
git that commits as a student, and running a step that stops the check
with a FAIL line when it fails."""
import subprocess
import sys

GIT = ["git", "-c", "user.name=student", "-c", "user.email=student@rvos.invalid", "-c", "commit.gpgsign=false"]


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def run(cmd, **kw):
    print("+ " + " ".join(cmd), flush=True)
    r = subprocess.run(cmd, **kw)
    if r.returncode != 0:
        fail(f"{' '.join(cmd)} exited with {r.returncode}")
    return r
