import os
import os.path
from os.path import exists
from pathlib import Path

UPLOADS = Path("/srv/uploads")


def read_config(path):
    if os.path.exists(path):
        # ruleid: toctou-check-then-use
        with open(path) as fh:
            return fh.read()
    return None


def read_config_safe(path):
    try:
        # ok: toctou-check-then-use
        with open(path) as fh:
            return fh.read()
    except FileNotFoundError:
        return None


def write_lock(lock_path):
    if not exists(lock_path):
        # ruleid: toctou-check-then-use
        with open(lock_path, "w") as fh:
            fh.write(str(os.getpid()))


def write_lock_safe(lock_path):
    try:
        # ok: toctou-check-then-use
        with open(lock_path, "x") as fh:
            fh.write(str(os.getpid()))
    except FileExistsError:
        pass


def setuid_read(path):
    if os.access(path, os.R_OK) and not os.path.islink(path):
        # ruleid: toctou-check-then-use
        fd = os.open(path, os.O_RDONLY)
        return os.read(fd, 4096)
    raise PermissionError(path)


def cleanup(tmp_file):
    if os.path.isfile(tmp_file):
        # ruleid: toctou-check-then-use
        os.remove(tmp_file)


def cleanup_safe(tmp_file):
    try:
        # ok: toctou-check-then-use
        os.remove(tmp_file)
    except FileNotFoundError:
        pass


def store_upload(name, data):
    target = UPLOADS / name
    if target.exists():
        raise FileExistsError(name)
    # ruleid: toctou-check-then-use
    target.write_bytes(data)


def store_upload_safe(name, data):
    target = UPLOADS / name
    # ok: toctou-check-then-use
    with target.open("xb") as fh:
        fh.write(data)


def other_path(path, backup):
    if os.path.exists(backup):
        # ok: toctou-check-then-use
        with open(path) as fh:
            return fh.read()
    return None


def store_upload_exclusive(name, data):
    target = UPLOADS / name
    if target.exists():
        raise FileExistsError(name)
    # ok: toctou-check-then-use
    with open(target, "xb") as fh:
        fh.write(data)
