import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

# Monitors look for closed windows every second and evaluate them at once; receivers on loopback
# are allowed explicitly (they are refused by default).
MONITORED = {"TELLTALE_MONITOR_INTERVAL": "1s", "TELLTALE_EVALUATION_DELAY": "0",
             "TELLTALE_NOTIFY_ALLOW_NETWORKS": "127.0.0.0/8",
             "TELLTALE_PUBLIC_URL": "http://telltale.example"}


@pytest.fixture
def monitored(start_server):
    return start_server(["--max-lateness", "3650d"], env=MONITORED)


@pytest.fixture
def receiver():
    from http_receiver import HttpReceiver

    receiver = HttpReceiver()
    yield receiver
    receiver.stop()
