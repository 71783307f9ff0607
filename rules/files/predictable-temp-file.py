import io
import json
import os
import tempfile
from tempfile import NamedTemporaryFile

CACHE = "/tmp/report-cache.json"
PID_DIR = "/var/run/myapp"


def save(data):
    # ruleid: predictable-temp-file
    with open(CACHE, "w") as fh:
        json.dump(data, fh)


def save_safe(data):
    # ok: predictable-temp-file
    with NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(data, fh)
        return fh.name


def write_report(user_id, body):
    # ruleid: predictable-temp-file
    with open(f"/tmp/report-{user_id}.txt", "w") as fh:
        fh.write(body)


def write_report_exclusive(user_id, body):
    # ok: predictable-temp-file
    with open(f"/tmp/report-{user_id}.txt", "x") as fh:
        fh.write(body)


def scratch(body):
    # ruleid: predictable-temp-file
    with io.open(os.path.join(tempfile.gettempdir(), "scratch.bin"), "wb") as fh:
        fh.write(body)


def scratch_safe(body):
    fd, path = tempfile.mkstemp(suffix=".bin")
    # ok: predictable-temp-file
    with os.fdopen(fd, "wb") as fh:
        fh.write(body)
    return path


LOCK_FILE = "/tmp/myapp.lock"


def write_lock():
    # ruleid: predictable-temp-file
    fd = os.open(LOCK_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, str(os.getpid()).encode())


def write_lock_exclusive():
    # ok: predictable-temp-file
    fd = os.open(LOCK_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, str(os.getpid()).encode())


def write_netrc(path):
    # ok: predictable-temp-file
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, b"machine example.com")


def read_config():
    # ok: predictable-temp-file
    with open("/etc/myapp/config.json") as fh:
        return json.load(fh)


def read_pid():
    # ok: predictable-temp-file
    with open(os.path.join(PID_DIR, "app.pid")) as fh:
        return int(fh.read())
