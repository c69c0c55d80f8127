import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))



@pytest.fixture
def monitored(start_server):
    from alert_helpers import MONITORED

    return start_server(["--max-lateness", "3650d"], env=MONITORED)


@pytest.fixture
def receiver():
    from http_receiver import HttpReceiver

    receiver = HttpReceiver()
    yield receiver
    receiver.stop()
