import os
import stat
from pathlib import Path

SHARED_DIR = Path("/srv/shared")


def publish_script(path):
    # ruleid: world-writable-permissions
    os.chmod(path, 0o777)


def open_up_log(path):
    # ruleid: world-writable-permissions
    os.chmod(path, 0o666)


def share_upload(name):
    target = SHARED_DIR / name
    # ruleid: world-writable-permissions
    target.chmod(0o646)
    return target


def open_up_keyword(path):
    # ruleid: world-writable-permissions
    os.chmod(path, mode=0o777)
    # ruleid: world-writable-permissions
    Path(path).chmod(mode=0o666)


def legacy_decimal_mode(path):
    # ruleid: world-writable-permissions
    os.chmod(path, 511)


def add_other_write(path):
    mode = os.stat(path).st_mode
    # ruleid: world-writable-permissions
    os.chmod(path, mode | stat.S_IWOTH)


def fix_socket(fd):
    # ruleid: world-writable-permissions
    os.fchmod(fd, stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)


def publish_with_named_mode(path):
    mode = 0o777
    # todoruleid: world-writable-permissions
    os.chmod(path, mode)


def protect_key(path):
    # ok: world-writable-permissions
    os.chmod(path, 0o600)


def publish_script_safely(path):
    # ok: world-writable-permissions
    os.chmod(path, 0o755)


def share_upload_safely(name):
    target = SHARED_DIR / name
    # ok: world-writable-permissions
    target.chmod(0o644)
    return target


def group_only(path):
    # ok: world-writable-permissions
    os.chmod(path, 0o750)


def legacy_decimal_mode_safely(path):
    # ok: world-writable-permissions
    os.chmod(path, 420)


def remove_other_write(path):
    mode = os.stat(path).st_mode
    # ok: world-writable-permissions
    os.chmod(path, mode & ~stat.S_IWOTH)


def owner_only(path):
    # ok: world-writable-permissions
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
