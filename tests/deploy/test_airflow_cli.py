"""The Airflow DAG's command layer (deploy/airflow/loadcast_cli.py) against the real loadcast
binary: the nightly sequence of the DAG on a temporary folder, and the mapping of exit codes to
retry or final failure. The DAG file itself is checked for its task order and retry policy by
reading its source, since Airflow is not installed where the tests run.

Run: LOADCAST_BINARY=build/loadcast python3 -m unittest tests/deploy/test_airflow_cli.py
"""

import ast
import csv
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy" / "airflow"))
import loadcast_cli  # noqa: E402

DATA = ROOT / "data" / "italian-power-load" / "load.csv"


def write_years(folder: pathlib.Path, years):
    """Splits the bundled data into `<year>.csv` files, as they arrive in the bucket."""
    rows = {}
    with open(DATA, newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for date, load in reader:
            rows.setdefault(int(date[:4]), []).append((date, load))
    for year in years:
        with open(folder / f"{year}.csv", "w", newline="") as out:
            out.write("date,load\n")
            out.writelines(f"{d},{v}\n" for d, v in rows[year])


class NightlySequenceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = pathlib.Path(cls.tmp.name)
        cls.incoming = cls.dir / "incoming"
        cls.incoming.mkdir()
        write_years(cls.incoming, range(2006, 2021))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def loadcast(self, *args):
        return loadcast_cli.run(list(args), cwd=self.dir)

    def test_the_dag_steps_run_in_order_and_succeed(self):
        history = [str(self.incoming / f"{y}.csv") for y in range(2006, 2020)]
        self.assertTrue(self.loadcast("ingest", *history).ok)
        year = "2020"
        path = str(self.incoming / "2020.csv")
        for args in (["ingest", path], ["validate", path],
                     ["train", "--target-year", year, "--horizon", "day"],
                     ["predict", "--target-year", year, "--horizon", "day"]):
            outcome = self.loadcast(*args)
            self.assertTrue(outcome.ok, outcome.message())
        alerts = self.loadcast("alerts", "--source", "prediction", "--severity", "critical",
                               "--unacknowledged", "--limit", "500", "--json")
        self.assertEqual(loadcast_cli.open_prediction_failures(alerts.json(), 2020), [])
        evaluation = self.loadcast("evaluate", "--target-year", year, "--horizon", "day", "--json")
        self.assertTrue(evaluation.ok, evaluation.message())
        self.assertLess(evaluation.json()["evaluation"]["year"]["mape"], 3.0)
        monitor = self.loadcast("monitor", "--target-year", year, "--as-of", "2020-06-30")
        self.assertTrue(monitor.ok, monitor.message())

    def test_rejected_data_fails_without_retry_and_names_the_file(self):
        bad = self.dir / "2021.csv"
        bad.write_text("date,load\n2021-01-01,612345,5\n")
        outcome = self.loadcast("ingest", str(bad))
        self.assertEqual(outcome.exit_code, 3)
        self.assertFalse(outcome.retryable)
        self.assertIn("rejected by validation", outcome.message())
        self.assertIn("2021.csv", outcome.message())

    def test_usage_errors_fail_without_retry(self):
        outcome = self.loadcast("evaluate", "--target-year", "1999")
        self.assertEqual(outcome.exit_code, 2)
        self.assertFalse(outcome.retryable)


class NightlyScriptTest(unittest.TestCase):
    """deploy/loadcast-nightly.sh, as cron and the systemd service run it."""

    def run_script(self, folder, *args):
        env = dict(os.environ, LOADCAST_INCOMING=str(folder / "incoming"),
                   LOADCAST_BINARY=loadcast_cli.loadcast_binary())
        return subprocess.run([str(ROOT / "deploy" / "loadcast-nightly.sh"), *args], cwd=folder,
                              env=env, capture_output=True, text=True, check=False)

    def test_it_runs_both_horizons_and_monitors_the_year(self):
        with tempfile.TemporaryDirectory() as tmp:
            folder = pathlib.Path(tmp)
            (folder / "incoming").mkdir()
            write_years(folder / "incoming", range(2016, 2021))
            history = [str(folder / "incoming" / f"{y}.csv") for y in range(2016, 2020)]
            self.assertTrue(loadcast_cli.run(["ingest", *history], cwd=folder).ok)
            done = self.run_script(folder, "2020")
            self.assertEqual(done.returncode, 0, done.stderr)
            runs = loadcast_cli.run(["runs", "--json"], cwd=folder).json()
            commands = sorted((r["command"], r.get("horizon") or "") for r in runs
                              if r.get("target_year") == 2020)
            self.assertEqual(commands, [("monitor", ""), ("run", "day"), ("run", "year")])

    def test_a_missing_file_exits_2_and_names_it(self):
        with tempfile.TemporaryDirectory() as tmp:
            folder = pathlib.Path(tmp)
            (folder / "incoming").mkdir()
            done = self.run_script(folder, "2031")
            self.assertEqual(done.returncode, 2)
            self.assertIn("2031.csv", done.stderr)


class ExitCodeTest(unittest.TestCase):
    def test_every_documented_code_has_a_meaning(self):
        self.assertEqual(sorted(loadcast_cli.EXIT_CODES), [0, 1, 2, 3, 4, 5])
        retry = {code for code, (_, again) in loadcast_cli.EXIT_CODES.items() if again}
        self.assertEqual(retry, {1, 5})

    def test_an_unknown_code_is_retried(self):
        outcome = loadcast_cli.Outcome(["loadcast"], 139, "", "")
        self.assertTrue(outcome.retryable)
        self.assertIn("unexpected exit code 139", outcome.message())


class DagDefinitionTest(unittest.TestCase):
    def setUp(self):
        self.source = (ROOT / "deploy" / "airflow" / "loadcast_dag.py").read_text()
        self.tree = ast.parse(self.source)

    def test_the_steps_are_the_pipeline_in_order(self):
        steps = next(node.value for node in self.tree.body if isinstance(node, ast.Assign)
                     and getattr(node.targets[0], "id", "") == "STEPS")
        self.assertEqual(ast.literal_eval(steps),
                         ["ingest", "validate", "train", "predict", "check", "evaluate",
                          "monitor"])
        defined = {node.name for node in self.tree.body if isinstance(node, ast.FunctionDef)}
        self.assertLessEqual(set(ast.literal_eval(steps)), defined)

    def test_tasks_retry_and_read_the_year_from_the_logical_date(self):
        self.assertIn('"retries": 3', self.source)
        self.assertIn('context["logical_date"].year', self.source)


if __name__ == "__main__":
    unittest.main()
