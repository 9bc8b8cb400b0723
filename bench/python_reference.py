"""Python reference of loadcast's year-ahead flow, used by `make bench`.

Reads the yearly actuals of a loadcast bucket (<bucket>/actuals/<year>.csv, columns date,load in
MWh per day), validates them, builds a calendar design with pandas, fits a scikit-learn Ridge
regression of log load on the training years, forecasts every day of the target year, scores the
forecast against the year's actuals (and the seasonal naive against them) and writes forecasts and
metrics to SQLite. It is a comparison point for loadcast's timing and accuracy, not part of it.

Usage:
  python3 bench/python_reference.py --bucket DIR --target-year 2021 --db PATH [--json]
  python3 bench/python_reference.py --bucket DIR --select-alpha   # the backtest behind ALPHA
"""
import time

START = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import sqlite3  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

AFTER_IMPORTS = time.perf_counter()

# Chosen with --select-alpha: a rolling year-ahead backtest on target years 2016-2019 (10 training
# years each) over ALPHAS. The mean MAPE falls as alpha falls (the design has far fewer columns than
# rows); 0.01 was the lowest, though within 0.002 points of 0.1 and 1. 2020 and 2021 were not used.
ALPHA = 0.01
ALPHAS = (0.01, 0.1, 1.0, 10.0, 100.0)
MIN_LOAD, MAX_LOAD = 200_000.0, 1_500_000.0
FOURIER_ORDER = 6
FIXED_HOLIDAYS = {"new_year": (1, 1), "epiphany": (1, 6), "liberation": (4, 25),
                  "labour": (5, 1), "republic": (6, 2), "assumption": (8, 15),
                  "all_saints": (11, 1), "immaculate": (12, 8), "christmas": (12, 25),
                  "st_stephen": (12, 26)}
EXIT_INVALID = 3


class InvalidInput(Exception):
    """A missing or invalid input file; the message is `FILE:problem`."""


def easter_sunday(year):
    """Easter Sunday of `year` by the anonymous Gregorian algorithm."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return pd.Timestamp(year, month, day + 1)


def holiday_names(dates):
    """The Italian national holiday of each date ("" on other days), as a Series."""
    names = pd.Series("", index=dates)
    month_day = dates.month * 100 + dates.day
    for name, (month, day) in FIXED_HOLIDAYS.items():
        names[month_day == month * 100 + day] = name
    for year in dates.year.unique():
        easter = easter_sunday(year)
        names[dates == easter] = "easter"
        names[dates == easter + pd.Timedelta(days=1)] = "easter_monday"
    return names


def calendar_features(dates, first_year):
    """The design matrix of `dates`: weekday, Fourier, holidays, bridge, Christmas, year trend."""
    dates = pd.DatetimeIndex(dates)
    x = pd.DataFrame(index=dates)
    for dow in range(1, 7):  # Monday is the baseline
        x[f"dow_{dow}"] = (dates.dayofweek == dow).astype(float)
    angle = 2 * np.pi * (dates.dayofyear - 1) / 365.25
    for k in range(1, FOURIER_ORDER + 1):
        x[f"sin_{k}"] = np.sin(k * angle)
        x[f"cos_{k}"] = np.cos(k * angle)
    holiday = holiday_names(dates)
    for name in [*FIXED_HOLIDAYS, "easter", "easter_monday"]:
        x[f"hol_{name}"] = (holiday == name).to_numpy(dtype=float)
    one_day = pd.Timedelta(days=1)
    prev_holiday = holiday_names(dates - one_day).to_numpy() != ""
    next_holiday = holiday_names(dates + one_day).to_numpy() != ""
    weekend = dates.dayofweek >= 5
    prev_weekend = (dates - one_day).dayofweek >= 5
    next_weekend = (dates + one_day).dayofweek >= 5
    workday = ~weekend & (holiday.to_numpy() == "")
    bridge = workday & ((prev_holiday & next_weekend) | (prev_weekend & next_holiday))
    x["bridge"] = bridge.astype(float)
    x["christmas_season"] = (((dates.month == 12) & (dates.day >= 24))
                             | ((dates.month == 1) & (dates.day <= 6))).astype(float)
    x["trend"] = (dates.year - first_year).astype(float)
    return x


def read_year(bucket, year, complete=True):
    """The validated actuals of `year` as a Series of load indexed by date.

    The days must run without a gap from 1 January, to 31 December when `complete`."""
    path = Path(bucket) / "actuals" / f"{year}.csv"
    if not path.is_file():
        raise InvalidInput(f"{path}:missing file")
    try:
        df = pd.read_csv(path, dtype=str)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        raise InvalidInput(f"{path}:unreadable CSV ({str(e).strip()})")
    if list(df.columns) != ["date", "load"]:
        raise InvalidInput(f"{path}:expected columns date,load, got {','.join(df.columns)}")
    if df.empty:
        raise InvalidInput(f"{path}:no rows")
    if df.isna().any().any():
        raise InvalidInput(f"{path}:missing values on {int(df.isna().any(axis=1).sum())} row(s)")
    dates = pd.to_datetime(df["date"], format="%Y-%m-%d", errors="coerce")
    load = pd.to_numeric(df["load"], errors="coerce")
    bad = dates.isna() | ~df["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    if bad.any():
        raise InvalidInput(f"{path}:not an ISO date: {df['date'][bad].iloc[0]!r}")
    outside = dates.dt.year != year
    if outside.any():
        raise InvalidInput(f"{path}:date outside {year}: {df['date'][outside].iloc[0]}")
    if dates.duplicated().any():
        raise InvalidInput(f"{path}:duplicate date {df['date'][dates.duplicated()].iloc[0]}")
    if not dates.is_monotonic_increasing:
        raise InvalidInput(f"{path}:dates not sorted")
    not_finite = ~np.isfinite(load)  # NaN where the text is not a number
    if not_finite.any():
        raise InvalidInput(f"{path}:load not a finite number: {df['load'][not_finite].iloc[0]!r}")
    out_of_range = (load < MIN_LOAD) | (load > MAX_LOAD)
    if out_of_range.any():
        raise InvalidInput(f"{path}:load outside [{MIN_LOAD:.0f}, {MAX_LOAD:.0f}] MWh on "
                           f"{df['date'][out_of_range].iloc[0]}")
    last = f"{year}-12-31" if complete else dates.iloc[-1]
    expected = pd.date_range(f"{year}-01-01", last, freq="D")
    if len(dates) != len(expected):
        missing = expected.difference(pd.DatetimeIndex(dates))
        raise InvalidInput(f"{path}:{len(missing)} missing day(s), first {missing[0].date()}")
    return pd.Series(load.to_numpy(), index=pd.DatetimeIndex(dates, name="date"), name="load")


def read_years(bucket, target_year, training_years):
    """The actuals of the training years and of the target year (maybe partial), as one Series."""
    years = range(target_year - training_years, target_year + 1)
    return pd.concat([read_year(bucket, year, complete=year < target_year) for year in years])


def fit_and_forecast(actuals, target_year, training_years, alpha):
    """Fits Ridge on the years before `target_year` and forecasts its days: Series of MWh."""
    first_year = target_year - training_years
    train = actuals[actuals.index.year < target_year]
    target_dates = pd.date_range(f"{target_year}-01-01", f"{target_year}-12-31", freq="D")
    model = make_pipeline(StandardScaler(), Ridge(alpha=alpha))
    model.fit(calendar_features(train.index, first_year), np.log(train.to_numpy()))
    predicted = model.predict(calendar_features(target_dates, first_year))
    return pd.Series(np.exp(predicted), index=target_dates, name="forecast")


def score(actuals, forecast):
    """MAPE (%), MAE, RMSE, bias (forecast - actual, MWh) and the seasonal naive's MAPE, on the
    forecast days that have actuals."""
    forecast = forecast[forecast.index.isin(actuals.index)]
    actual = actuals.reindex(forecast.index)
    error = forecast - actual
    naive = actuals.reindex(forecast.index - pd.Timedelta(days=364)).to_numpy()
    naive_ape = np.abs(naive - actual.to_numpy()) / actual.to_numpy()
    return {"days": int(len(forecast)),
            "mape": float(100 * (error.abs() / actual).mean()),
            "mae": float(error.abs().mean()),
            "rmse": float(np.sqrt((error ** 2).mean())),
            "bias": float(error.mean()),
            "naive_mape": float(100 * np.nanmean(naive_ape))}


def write_db(db, target_year, actuals, forecast, metrics):
    """Replaces the `forecasts` and `metrics` tables of the SQLite database `db`."""
    forecasts = pd.DataFrame({"date": forecast.index.strftime("%Y-%m-%d"),
                              "forecast": forecast.to_numpy(),
                              "actual": actuals.reindex(forecast.index).to_numpy()})
    row = pd.DataFrame([{"target_year": target_year,
                         **{k: metrics[k] for k in ("mape", "mae", "rmse", "bias", "naive_mape")}}])
    with sqlite3.connect(db) as con:
        forecasts.to_sql("forecasts", con, if_exists="replace", index=False)
        row.to_sql("metrics", con, if_exists="replace", index=False)
    con.close()


def select_alpha(bucket, training_years):
    """Prints the mean year-ahead MAPE of each of ALPHAS over target years 2016-2019."""
    years = range(2016, 2020)
    actuals = {year: read_years(bucket, year, training_years) for year in years}
    for alpha in ALPHAS:
        mapes = [score(actuals[year], fit_and_forecast(actuals[year], year, training_years,
                                                       alpha))["mape"] for year in years]
        print(f"alpha={alpha:g} mean MAPE={np.mean(mapes):.4f}% "
              f"({', '.join(f'{year}: {m:.4f}' for year, m in zip(years, mapes))})")


def main():
    """Parses the command line and runs the flow; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bucket", required=True, help="bucket folder holding actuals/<year>.csv")
    parser.add_argument("--target-year", type=int, help="year to forecast and score")
    parser.add_argument("--db", help="SQLite database for the forecasts and metrics tables")
    parser.add_argument("--training-years", type=int, default=10, help="years before the target")
    parser.add_argument("--alpha", type=float, default=ALPHA, help="Ridge regularisation")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--select-alpha", action="store_true", help="run the backtest over ALPHAS")
    args = parser.parse_args()
    if args.training_years < 1:
        parser.error("--training-years must be at least 1")
    try:
        if args.select_alpha:
            select_alpha(args.bucket, args.training_years)
            return 0
        if args.target_year is None or args.db is None:
            parser.error("--target-year and --db are required")
        actuals = read_years(args.bucket, args.target_year, args.training_years)
    except InvalidInput as e:
        print(e, file=sys.stderr)
        return EXIT_INVALID
    forecast = fit_and_forecast(actuals, args.target_year, args.training_years, args.alpha)
    metrics = score(actuals, forecast)
    write_db(args.db, args.target_year, actuals, forecast, metrics)
    end = time.perf_counter()
    if args.json:
        print(json.dumps({"target_year": args.target_year, **metrics,
                          "seconds": end - START, "seconds_after_imports": end - AFTER_IMPORTS}))
    else:
        print(f"{args.target_year}: {metrics['days']} days, MAPE {metrics['mape']:.2f}% "
              f"(seasonal naive {metrics['naive_mape']:.2f}%), MAE {metrics['mae']:.0f}, "
              f"RMSE {metrics['rmse']:.0f}, bias {metrics['bias']:+.0f} MWh, "
              f"{end - START:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
