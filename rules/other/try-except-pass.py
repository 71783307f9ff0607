import contextlib
import logging
import os

logger = logging.getLogger(__name__)
cache = {}


def remove_temp(path):
    # ruleid: try-except-pass
    try:
        os.remove(path)
    except:
        pass


def parse_port(value):
    port = 8080
    # ruleid: try-except-pass
    try:
        port = int(value)
    except Exception:
        pass
    return port


def close_quietly(conn):
    # ruleid: try-except-pass
    try:
        conn.rollback()
        conn.close()
    except BaseException as exc:
        pass


def forget(key):
    # ok: try-except-pass
    try:
        del cache[key]
    except KeyError:
        pass


def write_audit(audit_log, event):
    # ok: try-except-pass
    try:
        audit_log.write(event)
    except Exception:
        logger.exception("could not write audit event %s", event)


def parse_port_safe(value):
    # ok: try-except-pass
    try:
        return int(value)
    except ValueError:
        return 8080


def remove_temp_safe(path):
    # ok: try-except-pass
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
