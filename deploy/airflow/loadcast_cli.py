"""Runs one loadcast command for a scheduler and turns its exit code into what the task should do.

This module imports nothing from Airflow, so it can be used (and tested) on its own; the DAG in
loadcast_dag.py wraps its outcomes in Airflow's exceptions.

Exit codes (docs/operations.md, "Exit codes"):
    0  success
    1  internal error, storage or database failure  -> retry
    2  usage or configuration error                 -> fail, do not retry
    3  input data rejected by validation            -> fail, do not retry
    4  forecast rejected by the prediction checks   -> fail, do not retry
    5  another run holds the target's lock           -> retry
"""

import json
import os
import shlex
import subprocess
from dataclasses import dataclass, field
from typing import Optional, Sequence

# What each exit code means, and whether running the same command again can help.
EXIT_CODES = {
    0: ("succeeded", False),
    1: ("internal error or storage/database failure; see the run's alert", True),
    2: ("usage or configuration error; fix the config or the arguments", False),
    3: ("input data rejected by validation; nothing was stored, the file is in quarantine/", False),
    4: ("forecast rejected by the prediction checks; it was not published", False),
    5: ("another run holds the lock of this target year and horizon", True),
}


@dataclass
class Outcome:
    """What a command did: its exit code, output, and whether a retry may help."""

    command: Sequence[str]
    exit_code: int
    stdout: str
    stderr: str
    retryable: bool = field(init=False)
    meaning: str = field(init=False)

    def __post_init__(self):
        self.meaning, self.retryable = EXIT_CODES.get(
            self.exit_code, (f"unexpected exit code {self.exit_code}", True))

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def message(self) -> str:
        """One line for the task log: the command, its exit code and what it means, and the last
        line loadcast wrote to standard error (its error message)."""
        last = next((line for line in reversed(self.stderr.splitlines()) if line.strip()), "")
        text = f"{shlex.join(self.command)}: exit {self.exit_code}: {self.meaning}"
        return f"{text}: {last}" if last and not self.ok else text

    def json(self):
        """The JSON document the command printed (commands run with --json)."""
        return json.loads(self.stdout)


def loadcast_binary() -> str:
    """The loadcast executable: $LOADCAST_BINARY, or `loadcast` on the PATH."""
    return os.environ.get("LOADCAST_BINARY", "loadcast")


def run(args: Sequence[str], config: Optional[str] = None, cwd: Optional[str] = None,
        env: Optional[dict] = None, timeout: Optional[float] = None) -> Outcome:
    """Runs `loadcast [--config CONFIG] ARGS...` and returns its outcome (never raises on a
    non-zero exit). Standard error passes through to the task log as well."""
    command = [loadcast_binary()]
    if config:
        command += ["--config", config]
    command += list(args)
    merged = dict(os.environ)
    merged.update(env or {})
    done = subprocess.run(command, cwd=cwd, env=merged, capture_output=True, text=True,
                          timeout=timeout, check=False)
    return Outcome(command, done.returncode, done.stdout, done.stderr)


def open_prediction_failures(outcome_json, target_year: int):
    """The open critical prediction alerts of `target_year`, from `loadcast alerts --json`."""
    return [a for a in outcome_json
            if a.get("source") == "prediction" and a.get("severity") == "critical"
            and a.get("target_year") == target_year and not a.get("acknowledged")]
