import os
import tempfile
from tempfile import mktemp


def write_report(rows):
    # ruleid: tempfile-mktemp
    path = tempfile.mktemp(suffix=".csv")
    with open(path, "w") as fh:
        fh.writelines(rows)
    return path


def scratch_dir_file(name):
    # ruleid: tempfile-mktemp
    path = mktemp(prefix=name, dir="/tmp")
    os.mkfifo(path)
    return path


def write_report_safely(rows):
    # ok: tempfile-mktemp
    fd, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(fd, "w") as fh:
        fh.writelines(rows)
    return path


def write_report_named(rows):
    # ok: tempfile-mktemp
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
        fh.writelines(rows)
        return fh.name


def scratch_dir_file_safely(name):
    # ok: tempfile-mktemp
    workdir = tempfile.mkdtemp(prefix=name)
    path = os.path.join(workdir, "pipe")
    os.mkfifo(path)
    return path
