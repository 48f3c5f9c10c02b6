"""The atomic writes: a file (a temporary file beside it, then a rename) and a folder (a new
folder beside it, then a rename)."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Mapping
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path` so that readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def replace_folder(folder: Path, files: Mapping[str, bytes]) -> Path:
    """Replace `folder` with one holding `files` (relative path -> bytes), never half-written.

    The new folder is written beside it, then renamed into place: a reader sees the old folder
    or the new one whole (for the instant between the two renames, none). Anything else that
    was in the old folder goes with it: the folder is the site, not a place to keep files.
    """
    folder = folder.resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(4)
    new = folder.with_name(f".{folder.name}.{token}.new")
    old = folder.with_name(f".{folder.name}.{token}.old")
    try:
        for name, data in files.items():
            path = new / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if folder.exists():
            os.replace(folder, old)
        os.replace(new, folder)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        if old.exists() and not folder.exists():  # put the old site back
            os.replace(old, folder)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return folder
