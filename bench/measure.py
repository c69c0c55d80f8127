"""Runs a command as a child process and reports its wall time and peak resident memory."""
import os
import subprocess
import time
from dataclasses import dataclass


@dataclass
class Measurement:
    seconds: float
    peak_mib: float


def measure(command: list[str], **kwargs) -> Measurement:
    """Runs `command` to completion (failing loudly on a non-zero exit other than 1)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, **kwargs)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited with {code}")
    return Measurement(seconds, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


def report(rows: list[tuple[str, Measurement]]) -> None:
    print(f"{'':24s} {'wall s':>9s} {'peak MiB':>10s}")
    for name, m in rows:
        print(f"{name:24s} {m.seconds:9.2f} {m.peak_mib:10.0f}")
