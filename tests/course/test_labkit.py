"""Unit tests of the course kit (scripts/labkit.py, handout.py, grade.py)
on small synthetic inputs: ctest's course.labkit. The trees are made in
temporary directories, never in the source tree: a .c file with bad
markers in the tree would stop every real handout."""

import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

SOURCE = os.environ.get("RVOS_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(SOURCE, "scripts"))
import grade  # noqa: E402
import handout  # noqa: E402
import labkit  # noqa: E402
from labkit import KitError  # noqa: E402

SOLVED = """int f(int x)
{
    int y = 1;
    /* LAB alpha BEGIN: double x */
    y = x * 2;
    y += 0;
    /* LAB alpha STUB
    y = 0;
       LAB alpha END */
    return y;
}

int g(void)
{
    /* LAB beta BEGIN: return the answer */
    return 42;
    /* LAB beta END */
}
"""


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def make_tree(root, files):
    for rel, text in files.items():
        write(root, rel, text)


BASE_TREE = {
    "src/f.c": SOLVED,
    "src/notes.md": "/* LAB alpha BEGIN: an example in prose, not a marker */\n",
    "tests/t_one.c": "int main(void) { return 0; }\n",
    "tests/t_two.c": "int main(void) { return 1; }\n",
    "labs/alpha/lab.txt": "title: Alpha\ntags: alpha  # the tag\ntests: tests/t_*.c\n",
    "labs/alpha/grade.txt": "# points test\n3 t.one\n2 t.two\n",
    "labs/beta/lab.txt": "title: Beta\ntags: beta\ntests: tests/t_one.c\n",
}


class ParseTest(unittest.TestCase):
    def test_blocks(self):
        blocks = labkit.parse_markers(SOLVED, "f.c")
        self.assertEqual([(b.tag, b.text, b.begin, b.end, b.has_stub) for b in blocks],
                         [("alpha", "double x", 4, 9, True), ("beta", "return the answer", 15, 17, False)])
        self.assertEqual([l.strip() for l in blocks[0].solution], ["y = x * 2;", "y += 0;"])
        self.assertEqual([l.strip() for l in blocks[0].stub], ["y = 0;"])
        self.assertEqual(blocks[0].indent, "    ")

    def test_render_removed(self):
        out = labkit.render(SOLVED, labkit.parse_markers(SOLVED), {"alpha"})
        self.assertIn("    /* TODO(lab alpha): double x */\n    y = 0;\n    return y;", out)
        self.assertNotIn("x * 2", out)
        # beta is kept: its solution stays, its markers go
        self.assertIn("{\n    return 42;\n}", out)
        self.assertNotIn("LAB", out)

    def test_render_kept(self):
        out = labkit.render(SOLVED, labkit.parse_markers(SOLVED), set())
        self.assertIn("    int y = 1;\n    y = x * 2;\n    y += 0;\n    return y;", out)
        self.assertNotIn("y = 0;", out)
        self.assertNotIn("LAB", out)

    def test_crlf_and_no_final_newline(self):
        text = "a\r\n/* LAB alpha BEGIN: t */\r\nb\r\n/* LAB alpha END */\r\nc"
        self.assertEqual(labkit.render(text, labkit.parse_markers(text), {"alpha"}), "a\r\n/* TODO(lab alpha): t */\r\nc")

    def bad(self, text, *fragments):
        with self.assertRaises(KitError) as cm:
            labkit.parse_markers(text, "x.c")
        for frag in fragments:
            self.assertIn(frag, str(cm.exception))

    def test_unterminated(self):
        self.bad("/* LAB a BEGIN: t */\nx;\n", "x.c:1", "never ends")
        self.bad("/* LAB a BEGIN: t */\n/* LAB a STUB\nx;\n", "x.c:1", "STUB never ends")

    def test_end_without_begin(self):
        self.bad("x;\n/* LAB a END */\n", "x.c:2", "without a BEGIN")
        self.bad("/* LAB a STUB\n", "x.c:1", "without a BEGIN")
        self.bad("   LAB a END */\n", "x.c:1", "without a BEGIN")

    def test_nested(self):
        self.bad("/* LAB a BEGIN: t */\n/* LAB b BEGIN: u */\n/* LAB b END */\n/* LAB a END */\n", "x.c:2",
                 "do not nest")
        self.bad("/* LAB a BEGIN: t */\n/* LAB a STUB\n/* LAB a BEGIN: u */\n", "x.c:3")

    def test_mismatched_tags(self):
        self.bad("/* LAB a BEGIN: t */\n/* LAB b END */\n", "x.c:2", "LAB b END closes LAB a BEGIN at line 1")
        self.bad("/* LAB a BEGIN: t */\n/* LAB b STUB\n", "x.c:2", "LAB b STUB inside")
        self.bad("/* LAB a BEGIN: t */\n/* LAB a STUB\nx;\n   LAB b END */\n", "x.c:4")

    def test_stub_with_comment(self):
        self.bad("/* LAB a BEGIN: t */\n/* LAB a STUB\n x; /* no */\n   LAB a END */\n", "x.c:3",
                 "STUB may not contain")
        self.bad("/* LAB a BEGIN: t */\n/* LAB a STUB\n x; */\n   LAB a END */\n", "x.c:3", "STUB may not contain")
        self.bad("/* LAB a BEGIN: t */\n/* LAB a STUB\n/* LAB a END */\n", "x.c:3", "without '/*'")

    def test_stub_end_without_stub(self):
        self.bad("/* LAB a BEGIN: t */\n   LAB a END */\n", "x.c:2", "no STUB was opened")

    def test_begin_text(self):
        self.bad("/* LAB a BEGIN: */\n/* LAB a END */\n", "x.c:1", "without text")
        self.bad("/* LAB a BEGIN: a */ b */\n/* LAB a END */\n", "x.c:1", "may not contain")

    def test_malformed(self):
        self.bad("/* LAB a BEGIN */\n", "x.c:1", "malformed")
        self.bad("x; /* LAB a END */\n", "x.c:1", "malformed")
        self.bad("/* LAB Cow BEGIN: t */\n", "x.c:1", "malformed")


class LabFilesTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def test_lab_txt(self):
        make_tree(self.root, BASE_TREE)
        lab = labkit.read_lab(self.root, "alpha")
        self.assertEqual((lab.title, lab.tags, lab.tests, lab.grade),
                         ("Alpha", ["alpha"], ["tests/t_*.c"], [(3, "t.one"), (2, "t.two")]))
        with self.assertRaisesRegex(KitError, "unknown lab 'gamma'.*alpha beta"):
            labkit.read_lab(self.root, "gamma")

    def test_bad_lab_files(self):
        make_tree(self.root, {"labs/x/lab.txt": "title: X\n"})
        with self.assertRaisesRegex(KitError, "no 'tags:' line"):
            labkit.read_lab(self.root, "x")
        write(self.root, "labs/x/lab.txt", "tags: x\ncolour: red\n")
        self.assertIn("lab.txt:2: unknown key 'colour' ignored", labkit.read_lab(self.root, "x").warnings[0])
        write(self.root, "labs/x/lab.txt", "tags: x\nno colon here\n")
        with self.assertRaisesRegex(KitError, "lab.txt:2: expected 'key: value'"):
            labkit.read_lab(self.root, "x")
        write(self.root, "labs/x/lab.txt", "tags: X!\n")
        with self.assertRaisesRegex(KitError, "bad tag"):
            labkit.read_lab(self.root, "x")
        write(self.root, "labs/x/lab.txt", "tags: x\n")
        write(self.root, "labs/x/grade.txt", "5 a.cow\nten b.cow\n")
        with self.assertRaisesRegex(KitError, "grade.txt:2: expected 'POINTS TEST'"):
            labkit.read_lab(self.root, "x")
        write(self.root, "labs/x/grade.txt", "5 a.cow\n1 a.cow\n")
        with self.assertRaisesRegex(KitError, "listed twice"):
            labkit.read_lab(self.root, "x")


class HandoutTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.join(self.tmp.name, "src")
        self.out = os.path.join(self.tmp.name, "out")
        make_tree(self.root, BASE_TREE)

    def tearDown(self):
        self.tmp.cleanup()

    def handout(self, lab="alpha"):
        warnings = []
        return handout.make_handout(self.root, lab, self.out, warn=warnings.append), warnings

    def test_student_tree_and_patch(self):
        os.makedirs(os.path.join(self.root, "build"))
        write(self.root, "build/junk.c", "/* LAB alpha BEGIN: not source */\n")
        r, warnings = self.handout()
        self.assertEqual(warnings, [])
        # every lab's solutions are cut, beta's too
        self.assertEqual((r["removed"], r["changed"]), (2, 1))
        with open(os.path.join(self.out, "src/f.c")) as f:
            student = f.read()
        self.assertNotIn("x * 2", student)
        self.assertIn("/* TODO(lab alpha): double x */", student)
        self.assertIn("/* TODO(lab beta): return the answer */", student)
        self.assertNotIn("return 42;", student)
        self.assertFalse(os.path.exists(os.path.join(self.out, "build")))
        with open(os.path.join(self.out, "src/notes.md")) as f:
            self.assertEqual(f.read(), BASE_TREE["src/notes.md"])  # prose is not cut
        sums = labkit.read_checksums(os.path.join(self.out, "labs/alpha/tests.sha256"))
        self.assertEqual(sorted(sums), ["labs/alpha/grade.txt", "labs/alpha/lab.txt", "tests/t_one.c", "tests/t_two.c"])
        manifest = labkit.read_checksums(os.path.join(self.out, handout.MANIFEST))
        self.assertEqual(manifest["src/f.c"], labkit.sha256_of(os.path.join(self.out, "src/f.c")))
        self.assertIn("labs/alpha/tests.sha256", manifest)
        # the patch gives back alpha's solution only
        subprocess.run(["patch", "-p1", "--quiet", "-i", r["patch"]], cwd=self.out, check=True)
        with open(os.path.join(self.out, "src/f.c")) as f:
            solved = f.read()
        self.assertIn("y = x * 2;", solved)
        self.assertNotIn("return 42;", solved)

    def test_staff_tree_cuts_only_the_lab(self):
        r = handout.make_handout(self.root, "alpha", self.out, warn=lambda m: None, staff=True)
        self.assertEqual((r["removed"], r["changed"]), (1, 1))
        with open(os.path.join(self.out, "src/f.c")) as f:
            self.assertIn("return 42;", f.read())
        subprocess.run(["patch", "-p1", "--quiet", "-i", r["patch"]], cwd=self.out, check=True)
        with open(os.path.join(self.out, "src/f.c")) as f:
            self.assertEqual(f.read(), SOLVED)

    def test_term_and_keeps(self):
        r = handout.make_handout(self.root, None, self.out, warn=lambda m: None)
        self.assertEqual((r["removed"], r["patch"], r["sums"]), (2, None, None))
        write(self.root, "labs/alpha/lab.txt", "title: Alpha\ntags: alpha\nkeeps: beta\ntests: tests/t_*.c\n")
        out2 = self.out + "-keeps"
        handout.make_handout(self.root, "alpha", out2, warn=lambda m: None)
        with open(os.path.join(out2, "src/f.c")) as f:
            text = f.read()
        self.assertIn("return 42;", text)
        self.assertNotIn("x * 2", text)

    def test_only_tracked_files(self):
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
        subprocess.run(git + ["init", "-q", self.root], check=True)
        subprocess.run(git + ["-C", self.root, "add", "."], check=True)
        write(self.root, "private/notes.c", "/* the instructor's notes */\n")
        self.handout()
        self.assertTrue(os.path.exists(os.path.join(self.out, "src/f.c")))
        self.assertFalse(os.path.exists(os.path.join(self.out, "private")))

    def test_refuses_nonempty_outdir(self):
        write(self.out, "already", "here\n")
        with self.assertRaisesRegex(KitError, "already exists and is not empty"):
            self.handout()

    def test_empty_outdir_is_fine(self):
        os.makedirs(self.out)
        self.handout()
        self.assertTrue(os.path.exists(os.path.join(self.out, "src/f.c")))

    def test_unknown_lab(self):
        with self.assertRaisesRegex(KitError, "unknown lab 'gamma'"):
            self.handout("gamma")
        self.assertFalse(os.path.exists(self.out))

    def test_bad_markers_write_nothing(self):
        write(self.root, "src/bad.c", "/* LAB alpha BEGIN: t */\n/* LAB alpha STUB\n x; */\n   LAB alpha END */\n")
        write(self.root, "src/bad2.h", "/* LAB beta END */\n")
        with self.assertRaises(KitError) as cm:
            self.handout()
        self.assertIn("src/bad.c:3", str(cm.exception))
        self.assertIn("src/bad2.h:1", str(cm.exception))  # every bad file is reported
        self.assertFalse(os.path.exists(self.out))

    def test_unknown_tag_warns(self):
        write(self.root, "src/z.c", "/* LAB zeta BEGIN: t */\nint z;\n/* LAB zeta END */\n")
        _, warnings = self.handout()
        self.assertEqual(len(warnings), 1)
        self.assertIn("marker tag 'zeta' is removed by no lab", warnings[0])
        with open(os.path.join(self.out, "src/z.c")) as f:
            self.assertEqual(f.read(), "int z;\n")

    def test_tag_without_markers(self):
        write(self.root, "labs/alpha/lab.txt", "tags: alpha omega\ntests: tests/t_one.c\n")
        with self.assertRaisesRegex(KitError, "no file has a marker for tag.*omega"):
            self.handout()

    def test_glob_matching_nothing(self):
        write(self.root, "labs/alpha/lab.txt", "tags: alpha\ntests: tests/nothing_*.c\n")
        with self.assertRaisesRegex(KitError, "matches no file"):
            self.handout()

    def test_command_line(self):
        err, out = io.StringIO(), io.StringIO()
        with redirect_stderr(err), redirect_stdout(out):
            self.assertEqual(handout.main(["nope", self.out, "--source", self.root]), 1)
        self.assertIn("handout: error: unknown lab 'nope'", err.getvalue())


class GraderTest(unittest.TestCase):
    """The checksum check and the grade table (the ctest run itself is
    checked on the real labs by course.cow.*)."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.join(self.tmp.name, "src")
        self.out = os.path.join(self.tmp.name, "out")
        make_tree(self.root, BASE_TREE)
        handout.make_handout(self.root, "alpha", self.out, warn=lambda m: None)

    def tearDown(self):
        self.tmp.cleanup()

    def test_verify(self):
        lab = labkit.read_lab(self.out, "alpha")
        self.assertTrue(grade.verify(self.out, lab))
        self.assertFalse(grade.verify(self.root, labkit.read_lab(self.root, "alpha")))  # instructor tree
        write(self.out, "tests/t_two.c", "int main(void) { return 0; }\n")
        os.remove(os.path.join(self.out, "tests/t_one.c"))
        with self.assertRaises(grade.Tampered) as cm:
            grade.verify(self.out, lab)
        self.assertIn("tests/t_two.c (modified)", str(cm.exception))
        self.assertIn("tests/t_one.c (missing)", str(cm.exception))

    def test_tampered_exit_status(self):
        write(self.out, "labs/alpha/grade.txt", "5 t.one\n0 t.two\n")
        err = io.StringIO()
        with redirect_stderr(err), redirect_stdout(io.StringIO()):
            self.assertEqual(grade.main(["alpha", "--source", self.out, "--build", self.tmp.name]), 2)
        self.assertIn("labs/alpha/grade.txt (modified)", err.getvalue())

    def test_unconfigured_build(self):
        err = io.StringIO()
        with redirect_stderr(err), redirect_stdout(io.StringIO()):
            self.assertEqual(grade.main(["alpha", "--source", self.out, "--build", self.tmp.name]), 1)
        self.assertIn("not a configured build tree", err.getvalue())

    def test_report(self):
        junit = os.path.join(self.tmp.name, "j.xml")
        write(self.tmp.name, "j.xml", '<?xml version="1.0"?><testsuite>'
              '<testcase name="t.one" classname="t.one" time="1.5" status="run"/>'
              '<testcase name="t.two" classname="t.two" time="0.25" status="fail"><failure message="Failed"/>'
              '</testcase></testsuite>')
        rep = grade.grade(labkit.read_lab(self.out, "alpha"), grade.parse_junit(junit), True)
        self.assertEqual((rep["total"], rep["max"]), (3, 5))
        self.assertEqual([(t["name"], t["passed"], t["seconds"]) for t in rep["tests"]],
                         [("t.one", True, 1.5), ("t.two", False, 0.25)])
        json.dumps(rep)
        # a graded test ctest did not run scores nothing
        rep = grade.grade(labkit.read_lab(self.out, "alpha"), {}, False)
        self.assertEqual((rep["total"], rep["tests"][0]["status"]), (0, "not run"))


class HandinTest(unittest.TestCase):
    """scripts/handin.py and the regrade's reading of a hand-in."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.join(self.tmp.name, "src")
        self.out = os.path.join(self.tmp.name, "student")
        make_tree(self.root, BASE_TREE)
        handout.make_handout(self.root, "alpha", self.out, warn=lambda m: None)

    def tearDown(self):
        self.tmp.cleanup()

    def test_student_files(self):
        lab = labkit.read_lab(self.out, "alpha")
        files = labkit.list_tree(self.out)
        self.assertEqual(labkit.student_files(self.out, lab, files), ["src/f.c"])  # its markers' files
        lab.student_files = ["tests/t_*.c"]
        self.assertEqual(labkit.student_files(self.out, lab, files), ["tests/t_one.c", "tests/t_two.c"])

    def test_handin_takes_changed_and_new_files(self):
        import handin
        import regrade

        with open(os.path.join(self.out, "src/f.c"), "a") as f:
            f.write("/* mine */\n")
        write(self.out, "notes.txt", "new\n")
        archive = os.path.join(self.tmp.name, "alice.tar.gz")
        with redirect_stdout(io.StringIO()) as out:
            self.assertEqual(handin.main(["--source", self.out, "--out", archive]), 0)  # the lab: its tests.sha256
        self.assertIn("graded (the lab's student files): src/f.c", out.getvalue())
        self.assertIn("ignores (the staff's copies are used): notes.txt", out.getvalue())
        meta, files = regrade.read_handin(archive)
        self.assertEqual(meta["lab"], "alpha")
        self.assertEqual(sorted(files), ["notes.txt", "src/f.c"])
        self.assertTrue(files["src/f.c"].endswith(b"/* mine */\n"))

    def test_regrade_ignores_paths_outside_the_tree(self):
        import tarfile

        import regrade

        archive = os.path.join(self.tmp.name, "mallory.tar.gz")
        with tarfile.open(archive, "w:gz") as tar:
            for name in ("files/../../etc/x", "files//abs", "files/src/f.c"):
                info = tarfile.TarInfo(name)
                info.size = 2
                tar.addfile(info, io.BytesIO(b"x\n"))
        _, files = regrade.read_handin(archive)
        self.assertEqual(sorted(files), ["src/f.c"])
        self.assertIsNone(regrade.safe_rel("../x"))
        self.assertIsNone(regrade.safe_rel("/etc/passwd"))


class TermRepoTest(unittest.TestCase):
    """scripts/term_repo.py: the term base, a branch per lab, and a staff
    fix that a student with commits of their own pulls."""

    def test_branches_and_a_fix(self):
        import term_repo

        git = ["git", "-c", "user.name=s", "-c", "user.email=s@s", "-c", "commit.gpgsign=false"]
        with tempfile.TemporaryDirectory() as tmp:
            root, repo, student = (os.path.join(tmp, d) for d in ("src", "repo", "student"))
            make_tree(root, BASE_TREE)
            with redirect_stdout(io.StringIO()):
                self.assertEqual(term_repo.main([repo, "--source", root]), 0)

            def show(rev, path):
                r = subprocess.run(git + ["-C", repo, "show", f"{rev}:{path}"], capture_output=True, text=True)
                return r.stdout if r.returncode == 0 else None

            self.assertNotIn("return 42;", show("main", "src/f.c"))  # every lab cut
            self.assertIsNone(show("main", "labs/alpha/lab.txt"))
            self.assertIsNotNone(show("alpha", "labs/alpha/tests.sha256"))
            self.assertIsNone(show("alpha", "labs/beta/lab.txt"))
            subprocess.run(git + ["clone", "-q", "-b", "alpha", repo, student], check=True)
            with open(os.path.join(student, "src/f.c"), "a") as f:
                f.write("/* the student's */\n")
            subprocess.run(git + ["-C", student, "commit", "-qam", "mine"], check=True)
            write(root, "tests/t_one.c", "int main(void) { return 0; } /* fixed */\n")
            with redirect_stdout(io.StringIO()):
                self.assertEqual(term_repo.main([repo, "--source", root, "-m", "t_one"]), 0)
            self.assertIn("fixed", show("alpha", "tests/t_one.c"))
            subprocess.run(git + ["-C", student, "pull", "-q", "--no-rebase"], check=True)
            with open(os.path.join(student, "tests/t_one.c")) as f:
                self.assertIn("fixed", f.read())
            with open(os.path.join(student, "src/f.c")) as f:
                self.assertIn("the student's", f.read())
            sums = labkit.read_checksums(os.path.join(student, "labs/alpha/tests.sha256"))
            self.assertEqual(sums["tests/t_one.c"], labkit.sha256_of(os.path.join(student, "tests/t_one.c")))


if __name__ == "__main__":
    unittest.main()


class JunitTest(unittest.TestCase):
    def test_garbage_output(self):
        """A failing test that printed bytes that are neither UTF-8 nor
        allowed in XML still gets graded (a student's kernel may print
        anything)."""
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "j.xml")
            with open(path, "wb") as f:
                f.write(b'<?xml version="1.0" encoding="UTF-8"?><testsuite>'
                        b'<testcase name="a.cow" status="run" time="1.5"><system-out>x \x82\x01\x00 y'
                        b'</system-out></testcase><testcase name="b.cow" status="fail" time="2">'
                        b'<failure message="m"/></testcase></testsuite>')
            self.assertEqual(grade.parse_junit(path),
                             {"a.cow": (True, 1.5, "passed"), "b.cow": (False, 2.0, "failed")})

    def test_not_xml(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "j.xml")
            with open(path, "w") as f:
                f.write("<testsuite><testcase")
            with self.assertRaises(KitError):
                grade.parse_junit(path)
