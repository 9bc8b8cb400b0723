"""Airflow DAG: the nightly loadcast flows for the year of the run's logical date.

    ingest -> validate -> train -> predict -> check -> evaluate -> monitor

Every task calls the loadcast CLI (through loadcast_cli.py, beside this file) for one horizon
and the target year of the logical date, so a backfill of 2020 and 2021 is two DAG runs. The
backends come from the environment of the workers (LOADCAST_DATABASE_URL, LOADCAST_STORAGE_URL,
LOADCAST_S3_ENDPOINT, AWS_* and PGPASSWORD) or from the config file in the `config` param:
nothing here names a database or a bucket.

Exit codes map to task states: 0 succeeds; 3 (data rejected), 4 (forecast rejected) and 2
(usage/config) fail the task at once with loadcast's message, since running the same command on
the same data gives the same answer; 1 (internal or backend failure) and 5 (another run holds the
target's lock) fail the try, and Airflow retries it with backoff. Several DAG runs may overlap:
loadcast locks each target year and horizon, and re-running a step on the same data writes
nothing new.

Params (Trigger DAG w/ config, or defaults below):
    incoming  folder where the yearly files `<year>.csv` arrive (ingest reads `<incoming>/<Y>.csv`)
    config    loadcast YAML config path on the workers ("" for the defaults plus environment)
    horizon   "day" (forecast each day from the days before) or "year"
"""

from datetime import datetime, timedelta
import os
import sys

from airflow import DAG
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.operators.python import PythonOperator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loadcast_cli  # noqa: E402  (beside this file in the dags folder)

STEPS = ["ingest", "validate", "train", "predict", "check", "evaluate", "monitor"]


def _year(context) -> int:
    return context["logical_date"].year


def _raise_for(outcome: loadcast_cli.Outcome) -> None:
    """Turns a loadcast exit code into the task's end: success, a failure to retry, or a final
    failure."""
    if outcome.ok:
        return
    if outcome.retryable:
        raise AirflowException(outcome.message())
    raise AirflowFailException(outcome.message())


def _loadcast(context, *args):
    params = context["params"]
    outcome = loadcast_cli.run(list(args), config=params.get("config") or None)
    print(outcome.stderr, file=sys.stderr)
    _raise_for(outcome)
    return outcome


def ingest(**context):
    path = os.path.join(context["params"]["incoming"], f"{_year(context)}.csv")
    if not os.path.exists(path):
        raise AirflowException(f"{path}: the yearly file has not arrived yet")
    _loadcast(context, "ingest", path)


def validate(**context):
    # The stored actuals the model will train on are checked again by train; this checks the
    # arrived file against them and fails (no retry) when it would be rejected.
    path = os.path.join(context["params"]["incoming"], f"{_year(context)}.csv")
    _loadcast(context, "validate", path)


def train(**context):
    _loadcast(context, "train", "--target-year", str(_year(context)),
              "--horizon", context["params"]["horizon"])


def predict(**context):
    _loadcast(context, "predict", "--target-year", str(_year(context)),
              "--horizon", context["params"]["horizon"])


def check(**context):
    """Fails when the target year has an open critical prediction alert: predict exits 4 on a
    failed check, so this catches one raised by another worker or an earlier try."""
    year = _year(context)
    outcome = _loadcast(context, "alerts", "--source", "prediction", "--severity", "critical",
                        "--unacknowledged", "--limit", "500", "--json")
    failures = loadcast_cli.open_prediction_failures(outcome.json(), year)
    if failures:
        codes = ", ".join(sorted({a["code"] for a in failures}))
        raise AirflowFailException(
            f"{year}: {len(failures)} open critical prediction alert(s): {codes}; "
            "see `loadcast alerts --source prediction`, acknowledge once handled")


def evaluate(**context):
    year = _year(context)
    outcome = _loadcast(context, "evaluate", "--target-year", str(year),
                        "--horizon", context["params"]["horizon"], "--json")
    print(outcome.stdout)


def monitor(**context):
    as_of = context["logical_date"].strftime("%Y-%m-%d")
    _loadcast(context, "monitor", "--target-year", str(_year(context)), "--as-of", as_of)


with DAG(
    dag_id="loadcast_nightly",
    description="Ingest, validate, train, predict, check, evaluate and monitor Italy's daily load",
    schedule="0 6 * * *",
    start_date=datetime(2020, 1, 1),
    catchup=False,
    max_active_runs=4,
    default_args={
        "retries": 3,
        "retry_delay": timedelta(minutes=5),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(hours=1),
        "execution_timeout": timedelta(hours=2),
    },
    params={
        "incoming": os.environ.get("LOADCAST_INCOMING", "/srv/loadcast/incoming"),
        "config": os.environ.get("LOADCAST_CONFIG", ""),
        "horizon": "day",
    },
    tags=["loadcast", "forecasting"],
) as dag:
    tasks = [PythonOperator(task_id=name, python_callable=globals()[name]) for name in STEPS]
    for upstream, downstream in zip(tasks, tasks[1:]):
        upstream >> downstream
