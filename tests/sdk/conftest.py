"""Fixtures for the SDK tests: a telltale Client bound to a real server started for the test."""
import pytest
import telltale

from server_process import ADMIN_TOKEN


@pytest.fixture
def client(server):
    client = telltale.Client(server.url, token=ADMIN_TOKEN, raise_errors=True, flush_interval=0.2)
    yield client
    client.close(timeout=10)


@pytest.fixture
def demo_frame():
    """Features of several dtypes, 2,000 rows, with missing values."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(7)
    n = 2000
    frame = pd.DataFrame({
        "age": rng.integers(18, 90, n),
        "income": rng.lognormal(10, 0.5, n),
        "country": pd.Categorical(rng.choice(["DE", "US", "FR", "BR"], n, p=[0.4, 0.3, 0.2, 0.1])),
        "member": rng.random(n) < 0.25,
    })
    frame.loc[frame.index % 50 == 0, "income"] = np.nan
    return frame


@pytest.fixture
def proxy(server):
    from recording_proxy import RecordingProxy

    proxy = RecordingProxy(server.url)
    yield proxy
    proxy.close()
