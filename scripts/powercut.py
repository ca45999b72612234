#!/usr/bin/env python3
"""The random power-cut campaign for the disk file system (docs/reliability.md).

    powercut.py RVFS LOGDIR RUNS FIRST_SEED qemu-command...

Each run, on a fresh 16 MiB rvfs image: boot 1 runs the concurrent
workload (tests/guest/dfs.c, powercut SEED: four processes creating files
of several sizes, writing, linking, unlinking, unlinking while open,
making directories, printing "pc ack ..." as each call returns); once it
says "pc go", the power is cut at a random moment (SIGKILL to QEMU, up to
3 s later: about the workload's length, so some runs finish first). Then
rvfs fsck must find the image clean, and boot 2 (powercut_check) lists
/disk/pc. The listing must hold every acknowledged call: a file whose
write was acknowledged is there, whole, unless its unlink had started;
one whose unlink was acknowledged is gone; an acknowledged link or
directory is there; and no file anywhere holds bytes other than its own
pattern (nothing torn, nothing foreign). Every call returns only once it
is on the disk, so an acknowledged write is an fsync'ed one. fsck must
find the image clean after the check boot too.

RVOS_POWERCUT_CMDLINE (environment), if set, is put before the workload
boot's command line: `mm.frames=96` with a swap disk in the QEMU command
makes the workload swap while it is cut (swap.powercut in ctest).

The moment of the cut is random (seeded by FIRST_SEED + run, reproducible
up to the host's timing); the verdict never depends on it. Ends with
"powercut: N runs (C cut, F finished first), M failures"; failed runs'
logs stay in LOGDIR. Exit status 0 only if there was no failure.
"""
import os
import random
import re
import signal
import subprocess
import sys
import time


def fail(msgs, run, why):
    msgs.append("run %d: %s" % (run, why))


def boot(qemu, img, cmdline, log):
    out = open(log, "wb")
    return subprocess.Popen(
        qemu + ["-drive", "file=%s,if=none,format=raw,id=disk0" % img, "-device",
                "virtio-blk-device,drive=disk0", "-append", cmdline],
        stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)


def text(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace").replace("\r", "")


def wait_for(proc, log, needle, limit):
    end = time.time() + limit
    while time.time() < end:
        if needle in text(log):
            return True
        if proc.poll() is not None:
            return needle in text(log)
        time.sleep(0.02)
    return False


def judge(run_log, check_log):
    """Problems with what the check boot lists, given the acknowledged calls."""
    problems = []
    # Each name's state after the acknowledged calls, in order (a link
    # name may be made again after its unlink): ("there", size),
    # ("unlinking", size) once its unlink started, ("gone",).
    state, size, dirs = {}, {}, set()
    # The cut may tear the last line ("pc ack w p0_5 600" of 60000): only
    # whole lines count.
    for l in text(run_log).split("\n")[:-1]:
        m = re.fullmatch(r"pc ack w (\S+) (\d+)", l)
        if m:
            size[m.group(1)] = int(m.group(2))
            state[m.group(1)] = ("there", int(m.group(2)))
        m = re.fullmatch(r"pc ack l (\S+) (\S+)", l)
        if m:
            state[m.group(1)] = ("there", size.get(m.group(2), -1))
        m = re.fullmatch(r"pc start u (\S+)", l)
        if m and m.group(1) in state:
            state[m.group(1)] = ("unlinking", state[m.group(1)][1])
        m = re.fullmatch(r"pc ack u (\S+)", l)
        if m:
            state[m.group(1)] = ("gone",)
        m = re.fullmatch(r"pc ack d (\S+)", l)
        if m:
            dirs.add(m.group(1))
    check = text(check_log)
    if "test powercut_check: passed" not in check:
        return ["the check boot did not pass"]
    have = {}
    for m in re.finditer(r"^pc have (\S+) (\d+) (\d+) (ok|bad)$", check, re.M):
        have[m.group(1)] = (int(m.group(2)), int(m.group(3)), m.group(4))
    if "pc none" in check:
        if "pc go" in text(run_log):
            problems.append("/disk/pc is gone, though its mkdir was acknowledged")
        return problems
    for name, (typ, sz, ok) in have.items():
        if typ == 2 and ok != "ok":
            problems.append("%s: bytes that are not its own (torn or foreign), size %d" % (name, sz))
    for name, st in state.items():
        if st[0] == "gone":
            if name in have:
                problems.append("%s: its unlink was acknowledged, yet it is there" % name)
        elif name in have:
            if have[name][0] != 2 or have[name][1] != st[1] or have[name][2] != "ok":
                problems.append("%s: acknowledged as %d bytes, found %s" % (name, st[1], have[name]))
        elif st[0] == "there":
            problems.append("%s: acknowledged (%d bytes), missing" % (name, st[1]))
    for d in dirs:
        if d not in have or have[d][0] != 1:
            problems.append("%s: acknowledged mkdir, missing" % d)
    return problems


def main():
    rvfs, logdir, runs, first = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    qemu = sys.argv[5:]
    extra = os.environ.get("RVOS_POWERCUT_CMDLINE", "")
    os.makedirs(logdir, exist_ok=True)
    img = os.path.join(logdir, "powercut.%d.img" % os.getpid())
    failures, cuts, finished = [], 0, 0
    try:
        for run in range(runs):
            seed = first + run
            rng = random.Random(seed)
            log1 = os.path.join(logdir, "pc.%d.run.log" % seed)
            log2 = os.path.join(logdir, "pc.%d.check.log" % seed)
            fsck_log = os.path.join(logdir, "pc.%d.fsck" % seed)
            problems = []
            subprocess.run([rvfs, "mkfs", img, "16M"], check=True, stdout=subprocess.DEVNULL)
            p = boot(qemu, img, "%s testmode init=/tests/dfs -- powercut %d" % (extra, seed), log1)
            if not wait_for(p, log1, "pc go", 120):
                p.kill()
                p.wait()
                problems.append("the workload never started")
            else:
                time.sleep(rng.uniform(0, 3.0))
                if p.poll() is None:
                    p.send_signal(signal.SIGKILL)
                    p.wait()
                    cuts += 1
                    how = "cut"
                else:
                    finished += 1
                    how = "finished"
                    if p.returncode != 0 or "test powercut: passed" not in text(log1):
                        problems.append("the workload failed on its own (status %d)" % p.returncode)
                for when in ("after the cut", "after the check boot"):
                    r = subprocess.run([rvfs, "fsck", img], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                    with open(fsck_log, "ab") as f:
                        f.write(r.stdout)
                    if r.returncode != 0:
                        problems.append("fsck %s: %s" % (when, r.stdout.decode().strip()))
                        break
                    if when == "after the cut":
                        c = boot(qemu, img, "testmode init=/tests/dfs -- powercut_check", log2)
                        try:
                            c.wait(timeout=120)
                        except subprocess.TimeoutExpired:
                            c.kill()
                            c.wait()
                        problems += judge(log1, log2)
                acks = text(log1).count("pc ack")
                print("powercut: run %d (seed %d): %s after %d acknowledged calls: %s" %
                      (run + 1, seed, how, acks, "ok" if not problems else "FAILED"), flush=True)
            for pr in problems:
                fail(failures, seed, pr)
                print("  " + pr, flush=True)
            if not problems:
                for f in (log1, log2, fsck_log):
                    if os.path.exists(f):
                        os.remove(f)
    finally:
        if os.path.exists(img):
            os.remove(img)
    nfail = len({f.split(":")[0] for f in failures})
    print("powercut: %d runs (%d cut, %d finished first), %d failures" % (runs, cuts, finished, nfail))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
