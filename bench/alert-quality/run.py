"""Alert quality: a year of realistic traffic for one model, logged twice into a real server — once
clean, once with five incidents — and the default monitors replayed over it with backtests.

Reports false alerts per monitor per month on the clean year (target: at most 0.1 with default
sensitivity) and, on the other year, how many hourly windows each incident took to fire its
monitor (target: at most 2 for abrupt incidents).

Traffic: America/New_York (both daylight-saving changes fall inside the year), a daily rhythm,
quieter weekends, a holiday season with up to 30% more traffic, Poisson volume around 120 rows an
hour, features and a score with noise, labels drawn from the score.

  make bench-alerts        (or .venv/bin/python bench/alert-quality/run.py)
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import telltale  # noqa: E402
from telltale_server import TOKEN, start_server  # noqa: E402

ZONE = "America/New_York"
START = pd.Timestamp("2025-11-03T05:00:00Z")
END = pd.Timestamp("2026-11-02T05:00:00Z")
WARMUP = pd.Timedelta(days=35)  # the anomaly detector's history
COUNTRIES = np.array(["US", "DE", "FR", "BR", "IN"])
DEVICES = np.array(["ios", "android", "web"])

# name, monitor, start, hours (None: gradual), what the incident does
INCIDENTS = [
    ("null spike", "nulls", "2026-02-10T14:00:00Z", 6),
    ("category change", "new categories", "2026-04-07T13:00:00Z", 24),
    ("volume drop", "volume", "2026-08-12T15:00:00Z", 6),
    ("performance drop", "accuracy", "2026-09-16T14:00:00Z", 24),
    ("gradual drift", "age drift (cusum)", "2026-06-01T00:00:00Z", None),
]

MONITORS = [
    {"name": "volume", "type": "model_activity"},
    {"name": "nulls", "type": "missing_values"},
    {"name": "new categories", "type": "new_values"},
    {"name": "feature drift", "type": "data_drift"},
    {"name": "score drift", "type": "prediction_drift"},
    {"name": "accuracy", "type": "performance_degradation", "metric": "accuracy",
     "detector": {"kind": "anomaly", "direction": "down"}},
    {"name": "age drift (cusum)", "type": "metric_change", "metric": "mean", "fields": ["age"],
     "detector": {"kind": "cusum"}},
]


def traffic(seed, incidents):
    """The year's rows: (ids, features, score, labels, timestamps)."""
    rng = np.random.default_rng(seed)
    hours = pd.date_range(START, END, freq="h", inclusive="left")
    local = hours.tz_convert(ZONE)
    daily = 1 + 0.6 * np.cos((local.hour.to_numpy() - 15) * np.pi / 12)
    weekly = np.where(local.dayofweek.to_numpy() >= 5, 0.7, 1.0)
    # The holiday season: up to 30% more traffic from late November to the new year.
    day_of_season = (local.tz_localize(None) - pd.Timestamp("2025-11-20")).days.to_numpy()
    holiday = 1 + 0.3 * np.clip(np.minimum(day_of_season, 42 - day_of_season) / 14, 0, 1)
    rate = 120 * daily * weekly * holiday
    if incidents:
        drop = (hours >= pd.Timestamp("2026-08-12T15:00:00Z")) & (hours < pd.Timestamp("2026-08-12T21:00:00Z"))
        rate = np.where(drop, rate * 0.3, rate)
    counts = rng.poisson(rate)
    n = int(counts.sum())
    starts = np.repeat(hours.asi8 // 10**9, counts)
    times = pd.to_datetime(starts + rng.integers(0, 3600, n), unit="s", utc=True)
    age = rng.normal(40, 10, n)
    amount = rng.lognormal(3.5, 0.8, n)
    country = COUNTRIES[rng.choice(5, n, p=[0.4, 0.25, 0.15, 0.1, 0.1])]
    device = DEVICES[rng.choice(3, n, p=[0.4, 0.4, 0.2])]
    if incidents:
        seconds = times.asi8 // 10**9

        def during(start, hours_long):
            begin = pd.Timestamp(start).value // 10**9
            return (seconds >= begin) & (seconds < begin + hours_long * 3600)

        amount = np.where(during("2026-02-10T14:00:00Z", 6) & (rng.random(n) < 0.2), np.nan, amount)
        country = np.where(during("2026-04-07T13:00:00Z", 24) & (country == "DE"), "GER", country)
        ramp_start = pd.Timestamp("2026-06-01T00:00:00Z").value // 10**9
        age = age + 6 * np.clip((seconds - ramp_start) / (14 * 86400), 0, 1)  # +0.6 sd over 2 weeks
    score = 1 / (1 + np.exp(-(0.12 * (age - 40) + 0.4 * (device == "web") + rng.normal(0, 0.8, n))))
    labels = rng.random(n) < score
    if incidents:
        flipped = (times >= pd.Timestamp("2026-09-16T14:00:00Z")) & (times < pd.Timestamp("2026-09-17T14:00:00Z"))
        labels = np.where(flipped, rng.random(n) < 0.5, labels)
    features = pd.DataFrame({"age": age, "amount": amount, "country": country, "device": device})
    ids = [f"{seed}-{i}" for i in range(n)]
    return ids, features, pd.Series(score, name="score"), labels, times


def log_year(client, name, seed, incidents):
    ids, features, score, labels, times = traffic(seed, incidents)
    model = client.create_model(name, task="binary_classification", timezone=ZONE)
    training = traffic(seed + 100, False)
    take = slice(0, 20000)
    schema = telltale.infer_schema(training[1].iloc[take], predictions=training[2].iloc[take],
                                   actuals=pd.Series(training[3][take], name="label"))
    version = model.create_version("v1", schema=schema)
    version.log_training(training[1].iloc[take], predictions=training[2].iloc[take],
                         actuals=pd.Series(training[3][take], name="label"))
    for begin in range(0, len(ids), 200_000):
        part = slice(begin, begin + 200_000)
        version.log_predictions(ids[part], features.iloc[part], score.iloc[part], timestamps=times[part])
    assert client.flush(600)
    for begin in range(0, len(ids), 200_000):
        part = slice(begin, begin + 200_000)
        model.log_actuals(ids[part], pd.DataFrame({"label": labels[part]}))
    assert client.flush(600)
    return len(ids)


def backtest(url, model, monitor):
    body = {"model": model, **monitor}
    response = requests.post(f"{url}/api/v1/monitors/backtest",
                             params={"from": (START + WARMUP).isoformat(), "to": END.isoformat()},
                             headers={"Authorization": f"Bearer {TOKEN}"}, json=body, timeout=3600)
    response.raise_for_status()
    return response.json()


def firings(result):
    """Times a notification would have gone out: windows where some field started firing."""
    return sorted({pd.Timestamp(t["at"]) for t in result["transitions"] if t["to"] == "firing"})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="/tmp/telltale-bench-alerts")
    parser.add_argument("--only", action="append", help="replay only these monitors (by name)")
    args = parser.parse_args()
    monitors = [m for m in MONITORS if not args.only or m["name"] in args.only]
    process, url = start_server(args.data_dir, "--max-lateness", "3650d", "--actuals-retention", "3650d",
                                "--monitor-interval", "1d")
    try:
        client = telltale.Client(url, token=TOKEN, raise_errors=True)
        started = time.monotonic()
        rows = log_year(client, "clean", 1, False) + log_year(client, "incidents", 1, True)
        print(f"logged {rows:,} rows and as many actuals in {time.monotonic() - started:.0f} s")
        months = (END - START - WARMUP) / pd.Timedelta(days=365.25 / 12)
        print(f"\nFalse alerts on the clean year ({months:.1f} months after a {WARMUP.days}-day warm-up), "
              "default sensitivity; target <= 0.1 per monitor per month")
        print(f"  {'monitor':22} {'alerts':>6} {'per month':>9}")
        worst = 0.0
        for monitor in monitors:
            fired = firings(backtest(url, "clean", monitor))
            worst = max(worst, len(fired) / months)
            print(f"  {monitor['name']:22} {len(fired):6d} {len(fired) / months:9.3f}"
                  + ("" if not fired else "   at " + ", ".join(str(t)[:16] for t in fired[:4])))
        print("\nDetection delay on the year with incidents (hourly windows from the incident's start "
              "to the first alert); target <= 2 for abrupt incidents")
        print(f"  {'incident':18} {'monitor':22} {'delay':>6}")
        results = {m["name"]: backtest(url, "incidents", m) for m in monitors}
        for name, monitor, start, _ in INCIDENTS:
            if monitor not in results:
                continue
            begin = pd.Timestamp(start)
            after = [t for t in firings(results[monitor]) if t > begin]
            delay = (after[0] - begin) / pd.Timedelta(hours=1) if after else None
            print(f"  {name:18} {monitor:22} {'missed' if delay is None else f'{delay:6.0f}'}")
        print(f"\nworst false-alert rate: {worst:.3f} per monitor per month")
    finally:
        process.terminate()
        process.wait()


if __name__ == "__main__":
    main()
