"""ptyio.py - read what a program writes to a pseudo-terminal.

Shared by the tests that must see the bytes a terminal gets
(tests/progress_pty.py, tests/hunt/progress_pty.py,
tests/python/test_output.py): stdout and stderr on one terminal arrive in
the order they were written, escape sequences included.
"""
import os
import select
import time


def read_all(fd, until=None, timeout=300):
    """Every byte from fd until the program closes the terminal, `until`
    (bytes) has been seen, or `timeout` seconds have passed."""
    out = b''
    end = time.time() + timeout
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:      # EIO: the program closed the terminal
                break
            if not chunk:
                break
            out += chunk
            if until and until in out:
                break
    return out
