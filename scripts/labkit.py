"""The course kit's common part: lab directories, solution markers, the
source-tree listing. scripts/handout.py and scripts/grade.py use it; the
convention it implements is docs/course-kit.md.

Everything here reports bad input by raising KitError with a message that
names the file and line; the command-line tools print it and exit 1.
"""

import fnmatch
import hashlib
import os
import re
import subprocess
from dataclasses import dataclass, field

# Files whose solution markers are read. Markers are C comments, so only
# files that C comments are valid in; Markdown and CMake files may quote
# markers as examples without being cut.
MARKER_SUFFIXES = (".c", ".h", ".S", ".s", ".ld")

TAG = r"[a-z][a-z0-9_-]*"
RE_BEGIN = re.compile(r"^(?P<indent>[ \t]*)/\*[ \t]*LAB[ \t]+(?P<tag>" + TAG + r")[ \t]+BEGIN:(?P<text>.*)\*/[ \t]*$")
RE_STUB = re.compile(r"^[ \t]*/\*[ \t]*LAB[ \t]+(?P<tag>" + TAG + r")[ \t]+STUB[ \t]*$")
RE_STUB_END = re.compile(r"^[ \t]*LAB[ \t]+(?P<tag>" + TAG + r")[ \t]+END[ \t]*\*/[ \t]*$")
RE_END = re.compile(r"^[ \t]*/\*[ \t]*LAB[ \t]+(?P<tag>" + TAG + r")[ \t]+END[ \t]*\*/[ \t]*$")
# Anything that looks like a marker but matches none of the forms above.
RE_LOOKS_LIKE = re.compile(r"\bLAB[ \t]+\S+[ \t]+(BEGIN|STUB|END)\b")

# Test-harness files a handout checksums besides the lab's own `tests:`
# globs: the files that decide which tests run and what passing means.
HARNESS_FILES = (
    "CMakeLists.txt",
    "cmake/labs.cmake",
    "cmake/qemu.cmake",
    "cmake/run-guest.sh",
    "tests/CMakeLists.txt",
    "tests/guest/tests.cmake",
    "tests/host/CMakeLists.txt",
    "tests/host/project/CMakeLists.txt",
    "scripts/grade.py",
    "scripts/labkit.py",
)

CHECKSUM_FILE = "tests.sha256"


class KitError(Exception):
    """Bad input: the message says what and where."""


@dataclass
class Block:
    """One marked solution: lines begin..end (1-based, inclusive) of a file."""

    path: str
    tag: str
    text: str
    indent: str
    begin: int
    end: int
    solution: list = field(default_factory=list)  # lines between BEGIN and STUB/END
    stub: list = field(default_factory=list)  # lines between STUB and END (may be empty)
    has_stub: bool = False


def _where(path, lineno):
    return f"{path}:{lineno}"


def parse_markers(text, path="<input>"):
    """Returns the marked blocks of one file's text, in order. Raises
    KitError on unbalanced, nested or malformed markers."""
    blocks = []
    cur = None  # the open Block
    in_stub = False
    for lineno, line in enumerate(text.splitlines(), 1):
        m_begin, m_stub = RE_BEGIN.match(line), RE_STUB.match(line)
        m_end, m_stub_end = RE_END.match(line), RE_STUB_END.match(line)
        if cur is None:
            if m_begin:
                body = m_begin["text"].strip()
                if not body:
                    raise KitError(f"{_where(path, lineno)}: BEGIN marker without text for the student (BEGIN: <text>)")
                if "*/" in body or "/*" in body:
                    raise KitError(f"{_where(path, lineno)}: the text of a BEGIN marker may not contain '/*' or '*/'")
                cur = Block(path, m_begin["tag"], body, m_begin["indent"], lineno, 0)
            elif m_stub or m_end or m_stub_end:
                tag = (m_stub or m_end or m_stub_end)["tag"]
                kind = "STUB" if m_stub else "END"
                raise KitError(f"{_where(path, lineno)}: LAB {tag} {kind} without a BEGIN before it")
            elif RE_LOOKS_LIKE.search(line):
                raise KitError(f"{_where(path, lineno)}: malformed solution marker: {line.strip()!r} "
                               "(see docs/course-kit.md for the three forms)")
            continue
        opened = f"LAB {cur.tag} BEGIN at line {cur.begin}"
        if m_begin:
            raise KitError(f"{_where(path, lineno)}: markers do not nest: BEGIN inside {opened}")
        if in_stub:
            if m_stub_end:
                if m_stub_end["tag"] != cur.tag:
                    raise KitError(f"{_where(path, lineno)}: LAB {m_stub_end['tag']} END closes {opened}")
                cur.end = lineno
                blocks.append(cur)
                cur, in_stub = None, False
            elif m_end:
                raise KitError(f"{_where(path, lineno)}: a STUB ends with 'LAB {cur.tag} END */' on a line of its "
                               f"own, without '/*' (the stub is inside one comment; {opened})")
            elif "*/" in line or "/*" in line:
                raise KitError(f"{_where(path, lineno)}: a STUB may not contain '*/' or '/*' (it sits inside one "
                               f"C comment; {opened})")
            elif m_stub or RE_LOOKS_LIKE.search(line):
                raise KitError(f"{_where(path, lineno)}: unexpected marker inside the STUB of {opened}")
            else:
                cur.stub.append(line)
            continue
        if m_stub:
            if m_stub["tag"] != cur.tag:
                raise KitError(f"{_where(path, lineno)}: LAB {m_stub['tag']} STUB inside {opened}")
            cur.has_stub, in_stub = True, True
        elif m_end:
            if m_end["tag"] != cur.tag:
                raise KitError(f"{_where(path, lineno)}: LAB {m_end['tag']} END closes {opened}")
            cur.end = lineno
            blocks.append(cur)
            cur = None
        elif m_stub_end:
            raise KitError(f"{_where(path, lineno)}: 'LAB {cur.tag} END */' without '/*' closes a STUB, but no "
                           f"STUB was opened ({opened})")
        elif RE_LOOKS_LIKE.search(line):
            raise KitError(f"{_where(path, lineno)}: malformed solution marker inside {opened}: {line.strip()!r}")
        else:
            cur.solution.append(line)
    if cur is not None:
        what = "STUB" if in_stub else "block"
        raise KitError(f"{_where(path, cur.begin)}: LAB {cur.tag} {what} never ends (missing END marker)")
    return blocks


def render(text, blocks, removed_tags):
    """The file's text as a handout: blocks of removed tags become a TODO
    line plus their stub; blocks of other tags keep their solution and
    lose their markers and stub."""
    lines = text.splitlines(keepends=True)
    out = []
    i = 0
    for b in blocks:
        out.extend(lines[i:b.begin - 1])
        begin_line = lines[b.begin - 1]
        eol = begin_line[len(begin_line.rstrip("\r\n")):]
        if b.tag in removed_tags:
            out.append(f"{b.indent}/* TODO(lab {b.tag}): {b.text} */{eol}")
            # the stub, as real code (the lines between STUB and END)
            first = b.end - len(b.stub)
            out.extend(lines[first - 1:b.end - 1])
        else:
            first = b.begin + 1
            out.extend(lines[first - 1:first - 1 + len(b.solution)])
        i = b.end
    out.extend(lines[i:])
    return "".join(out)


# ------------------------------------------------------------------ labs


@dataclass
class Lab:
    name: str
    dir: str  # relative to the tree's root: labs/<name>
    title: str
    tags: list
    tests: list  # globs
    grade: list  # [(points, test)], empty if there is no grade.txt
    warnings: list = field(default_factory=list)
    keeps: list = field(default_factory=list)  # other labs' tags handed out solved
    student_files: list = field(default_factory=list)  # globs; empty: the files with the lab's markers


def _read_lines(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().splitlines()
    except OSError as e:
        raise KitError(f"{path}: cannot read: {e.strerror}") from None
    except UnicodeDecodeError:
        raise KitError(f"{path}: not UTF-8 text") from None


# title: the lab's name for people; tags: the markers it removes; tests:
# the files the handout checksums; keeps: tags of other labs whose
# solutions this lab hands out as given code (the COW lab needs the frame
# reference counts of cow-full); student_files: the files a student may
# change, the only ones a staff regrade takes from a hand-in.
LAB_KEYS = ("title", "tags", "tests", "keeps", "student_files")


def read_lab_txt(path):
    keys = {}
    for lineno, raw in enumerate(_read_lines(path), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if ":" not in line:
            raise KitError(f"{path}:{lineno}: expected 'key: value', got {raw.strip()!r}")
        key, value = (s.strip() for s in line.split(":", 1))
        if key not in LAB_KEYS:
            # kept, so that a newer lab.txt still works with this script
            keys.setdefault("unknown", []).append(f"{path}:{lineno}: unknown key {key!r} ignored "
                                                  f"(lab.txt knows {', '.join(LAB_KEYS)})")
            continue
        keys[key] = (keys[key] + " " + value).strip() if key in keys and key != "title" else value
    if not keys.get("tags"):
        raise KitError(f"{path}: no 'tags:' line (the solution markers this lab removes)")
    for tag in keys["tags"].split() + keys.get("keeps", "").split():
        if not re.fullmatch(TAG, tag):
            raise KitError(f"{path}: bad tag {tag!r} (tags are lower-case: letters, digits, '_' and '-')")
    return keys


def read_grade_txt(path):
    entries, seen = [], set()
    for lineno, raw in enumerate(_read_lines(path), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"(\d+)\s+(\S+)", line)
        if not m:
            raise KitError(f"{path}:{lineno}: expected 'POINTS TEST', got {raw.strip()!r}")
        test = m[2]
        if test in seen:
            raise KitError(f"{path}:{lineno}: test {test} is listed twice")
        seen.add(test)
        entries.append((int(m[1]), test))
    if not entries:
        raise KitError(f"{path}: no tests listed")
    return entries


def lab_names(root):
    base = os.path.join(root, "labs")
    if not os.path.isdir(base):
        return []
    return sorted(d for d in os.listdir(base) if os.path.isfile(os.path.join(base, d, "lab.txt")))


def read_lab(root, name):
    names = lab_names(root)
    if name not in names:
        known = " ".join(names) if names else "(none: no labs/*/lab.txt)"
        raise KitError(f"unknown lab {name!r}; the labs of {root} are: {known}")
    rel = f"labs/{name}"
    keys = read_lab_txt(os.path.join(root, rel, "lab.txt"))
    grade_path = os.path.join(root, rel, "grade.txt")
    grade = read_grade_txt(grade_path) if os.path.exists(grade_path) else []
    return Lab(name, rel, keys.get("title", name), keys["tags"].split(), keys.get("tests", "").split(), grade,
               keys.get("unknown", []), keys.get("keeps", "").split(), keys.get("student_files", "").split())


def all_tags(root):
    """Every tag some lab removes."""
    tags = set()
    for name in lab_names(root):
        tags.update(read_lab(root, name).tags)
    return tags


# ------------------------------------------------------------------ the tree

EXCLUDED_DIRS = {".git", "__pycache__"}


def _is_build_dir(path, name):
    return name == "build" or name.startswith("build-") or os.path.exists(os.path.join(path, "CMakeCache.txt"))


def list_tree(root, exclude=()):
    """The tree's files, relative to root, sorted: what git tracks in a git
    checkout's top (never untracked files: an instructor's private notes
    stay out of every handout), else every file except .git and build
    directories. `exclude` are absolute paths of directories to leave
    out."""
    root = os.path.abspath(root)
    exclude = {os.path.abspath(e) for e in exclude}
    try:
        top = subprocess.run(["git", "-C", root, "rev-parse", "--show-toplevel"], capture_output=True, text=True)
        is_git = top.returncode == 0 and os.path.samefile(top.stdout.strip(), root)
    except (OSError, FileNotFoundError):
        is_git = False
    files = []
    if is_git:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached"],
                             capture_output=True, check=True).stdout
        build_dirs = {}
        for rel in sorted(set(out.decode("utf-8", "surrogateescape").split("\0"))):
            full = os.path.join(root, rel)
            if rel and (os.path.isfile(full) or os.path.islink(full)) and not _under(full, exclude) \
                    and not _in_build_dir(root, rel, build_dirs):
                files.append(rel)
        return files
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d for d in dirnames if d not in EXCLUDED_DIRS and not _is_build_dir(os.path.join(dirpath, d), d)
            and os.path.join(dirpath, d) not in exclude)
        for f in sorted(filenames):
            files.append(os.path.relpath(os.path.join(dirpath, f), root))
    return sorted(files)


def _in_build_dir(root, rel, cache):
    # An untracked build directory git does not ignore (one with a
    # CMakeCache.txt) is no part of the sources.
    parts = rel.split("/")[:-1]
    for i in range(1, len(parts) + 1):
        d = "/".join(parts[:i])
        if d not in cache:
            cache[d] = os.path.exists(os.path.join(root, d, "CMakeCache.txt"))
        if cache[d]:
            return True
    return False


def _under(path, dirs):
    return any(path == d or path.startswith(d + os.sep) for d in dirs)


def has_marker_suffix(rel):
    return rel.endswith(MARKER_SUFFIXES)


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def checked_files(root, lab, files):
    """The files a handout of `lab` checksums, relative to root, sorted:
    the lab's `tests:` globs, its lab.txt and grade.txt, and the harness."""
    chosen = {f"{lab.dir}/lab.txt"}
    if os.path.exists(os.path.join(root, lab.dir, "grade.txt")):
        chosen.add(f"{lab.dir}/grade.txt")
    fileset = set(files)
    for pattern in lab.tests:
        hits = [f for f in fileset if fnmatch.fnmatchcase(f, pattern) and _same_depth(f, pattern)]
        if not hits:
            raise KitError(f"{lab.dir}/lab.txt: tests: {pattern!r} matches no file of the tree")
        chosen.update(hits)
    chosen.update(h for h in HARNESS_FILES if h in fileset)
    return sorted(chosen)


def _same_depth(path, pattern):
    # fnmatch lets '*' cross '/'; a glob does not.
    return "**" in pattern or path.count("/") == pattern.count("/")


def read_checksums(path):
    """{relative path: hex digest} from a sha256sum-format file."""
    sums = {}
    for lineno, raw in enumerate(_read_lines(path), 1):
        if not raw.strip():
            continue
        m = re.fullmatch(r"([0-9a-f]{64}) [ *](.+)", raw)
        if not m:
            raise KitError(f"{path}:{lineno}: not a sha256sum line: {raw!r}")
        sums[m[2]] = m[1]
    return sums


def matching(files, patterns):
    """The files (relative paths) that match any of the globs, sorted."""
    return sorted(f for f in files if any(fnmatch.fnmatchcase(f, p) and _same_depth(f, p) for p in patterns))


def marked_files(root, files, tags):
    """The files among `files` that hold a marker of one of the tags, or
    (in a handout) the TODO line a cut solution of one left."""
    out = []
    todo = re.compile(r"/\* TODO\(lab (" + "|".join(re.escape(t) for t in tags) + r")\): ")
    for rel in files:
        if not has_marker_suffix(rel) or not os.path.isfile(os.path.join(root, rel)):
            continue
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            text = f.read()
        if todo.search(text) or any(b.tag in tags for b in parse_markers(text, rel)):
            out.append(rel)
    return out


def student_files(root, lab, files):
    """The files of the tree a student of `lab` may change: its
    `student_files:` globs, or the files holding its markers."""
    if lab.student_files:
        return matching(files, lab.student_files)
    return marked_files(root, files, set(lab.tags))


# A solution line this short, or made of nothing but punctuation and a
# keyword or two (`}`, `return 0;`, `break;`), gives nothing away.
TRIVIAL = re.compile(r"^[\W_]*(?:(?:return|break|continue|else|if|for|while|do|goto|int|void|uint64_t|0|1|"
                     r"-1|NULL|pte|err|out|r|n|i)\b[\W_]*)*$")


def is_trivial(line):
    s = line.strip()
    return len(s) < 12 or bool(TRIVIAL.match(s)) or s.startswith(("/*", "*", "//"))


def solution_lines(root, files):
    """{tag: [(file, line number, text)]} of every block's non-trivial
    solution lines, and a Counter of how often each (stripped) line occurs
    in the tree outside every solution (stubs included): a line the tree
    has anyway, elsewhere, gives nothing away where it stays."""
    import collections

    lines, outside = collections.defaultdict(list), collections.Counter()
    for rel in files:
        if not has_marker_suffix(rel):
            continue
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            text = f.read()
        blocks = parse_markers(text, rel)
        inside = set()
        for b in blocks:
            inside.update(range(b.begin, b.end - len(b.stub)))
            for i, line in enumerate(b.solution, b.begin + 1):
                if not is_trivial(line):
                    lines[b.tag].append((rel, i, line.strip()))
        outside.update(l.strip() for i, l in enumerate(text.splitlines(), 1) if i not in inside)
    return lines, outside
