"""Polling helper (no fixed sleeps)."""

import time


def wait_until(predicate, timeout=5, interval=0.01):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in %ss" % timeout)
        time.sleep(interval)
