"""A small real file system that can be filled up: a tmpfs mounted for the test (needs root).

`small_disk(megabytes)` mounts it in a temporary folder and unmounts it afterwards; `fill(folder)`
writes until the disk is full and returns the filler file (delete it to free the space).
"""

from __future__ import annotations

import errno
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest


@contextmanager
def small_disk(megabytes: int = 8) -> Iterator[Path]:
    """Mount a tmpfs of `megabytes`; skip the test where this process may not mount."""
    folder = Path(tempfile.mkdtemp(prefix="d9-small-disk-"))
    mount = ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(folder)]
    if subprocess.run(mount, capture_output=True).returncode != 0:
        folder.rmdir()
        pytest.skip("mounting a small tmpfs needs root (CAP_SYS_ADMIN)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        with suppress(OSError):
            folder.rmdir()


def fill(folder: Path) -> Path:
    """Write a file into `folder` until its disk is full; return it."""
    filler = folder / "filler.bin"
    block = b"\0" * 65536
    with filler.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(block)
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
    with suppress(OSError), filler.open("ab", buffering=0) as out:
        while True:  # the last few bytes too
            out.write(b"\0" * 512)
    return filler
