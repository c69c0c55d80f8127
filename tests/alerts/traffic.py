"""Hours of prediction traffic logged through the REST API, with an incident in the last closed
hour (the window a new monitor evaluates first)."""
import datetime as dt
import time

import numpy as np


def avoid_hour_boundary():
    """Waits past the top of the hour when it is less than 90 s away, so that "the last closed hour"
    does not change while a test runs."""
    now = dt.datetime.now(dt.timezone.utc)
    left = 3600 - (now.minute * 60 + now.second)
    if left < 90:
        time.sleep(left + 2)


def last_closed_hour():
    now = dt.datetime.now(dt.timezone.utc).replace(minute=0, second=0, microsecond=0)
    return now - dt.timedelta(hours=1)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def log_hours(api, model, version, fields, hours=48, rows=200, incident=None, seed=0):
    """Logs `hours` normal hours before the last closed hour, then that hour; `incident(frame)`
    changes the last hour's rows (dict of field -> numpy array) in place."""
    rng = np.random.default_rng(seed)
    last = last_closed_hour()
    for back in range(hours, -1, -1):
        start = last - dt.timedelta(hours=back)
        columns = {name: rng.normal(50, 10, rows) for name in fields}
        if back == 0 and incident is not None:
            incident(columns, rng)
        batch = []
        for i in range(rows):
            features = {}
            for name in fields:
                value = columns[name][i]
                features[name] = None if np.isnan(value) else float(value)
            batch.append({"id": f"{start:%Y%m%d%H}-{i}", "timestamp": iso(start + dt.timedelta(seconds=i)),
                          "features": features, "predictions": {"score": float(rng.random())}})
        api.log(model, version, batch)
    return last


def setup_model(api, fields, name="churn", **logging):
    api.create_model(name)
    schema = {"features": {field: "numeric" for field in fields}, "predictions": {"score": "numeric"}}
    api.create_version(name, "v1", schema)
    rng = np.random.default_rng(99)
    training = [{"features": {field: float(rng.normal(50, 10)) for field in fields},
                 "predictions": {"score": float(rng.random())}} for _ in range(2000)]
    api.log(name, "v1", training, environment="training")
    return log_hours(api, name, "v1", fields, **logging)
