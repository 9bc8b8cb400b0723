"""scripts/check-sql.py refuses what it must, and says so in its own words: a refusal is exit code 1
naming the offending file and line, a folder with nothing to check is exit code 2. A crash of the
checker (a traceback, any other exit code) fails these tests rather than passing for a refusal.

Run from the source folder: python3 -m unittest -v tests/scripts/test_check_sql.py
"""
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHECKER = ROOT / "scripts" / "check-sql.py"
FIXTURE = ROOT / "tests" / "fixtures" / "sql-not-prepared"


def check_sql(folder):
    return subprocess.run([sys.executable, str(CHECKER), str(folder)], capture_output=True,
                          text=True, timeout=120, check=False)


class CheckSql(unittest.TestCase):
    def assertNoCrash(self, result):
        self.assertNotIn("Traceback", result.stderr, result.stderr)

    def test_refuses_formatted_values_naming_the_file_and_line(self):
        result = check_sql(FIXTURE)
        self.assertNoCrash(result)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        where = f"{FIXTURE / 'sqlite_database.cpp'}:"
        self.assertIn(where, result.stdout)
        self.assertRegex(result.stdout, r"sqlite_database\.cpp:\d+: SQL formatted with '")
        self.assertIn("statement(s) not prepared with bound values", result.stdout)

    def test_refuses_a_folder_that_does_not_exist(self):
        with tempfile.TemporaryDirectory() as tmp:
            missing = pathlib.Path(tmp) / "no-such-src"
            result = check_sql(missing)
        self.assertNoCrash(result)
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn(f"{missing} is not a folder: nothing to check", result.stderr)
        self.assertNotIn("every SQL statement", result.stdout)

    def test_refuses_a_folder_without_sources(self):
        with tempfile.TemporaryDirectory() as tmp:
            (pathlib.Path(tmp) / "README.md").write_text("no sources here\n")
            os.mkdir(pathlib.Path(tmp) / "storage")
            result = check_sql(tmp)
        self.assertNoCrash(result)
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn(f"no .cpp or .hpp files under {tmp}: nothing to check", result.stderr)
        self.assertNotIn("every SQL statement", result.stdout)


if __name__ == "__main__":
    unittest.main()
