# exercises: one verdict per sink: commands and queries chosen from constants (a dict of allowed commands, a loop over a constant list, a conditional between two literals, an allow-list check) are proven clean and not reported by the pattern rules; the same shapes fed by a value of unknown origin are still reported
import os
import sqlite3
import subprocess

from django.http import JsonResponse

ACTIONS = {"restart": "systemctl restart web", "status": "systemctl status web"}
ALLOWED_UNITS = {"web", "worker"}
SORT_COLUMNS = ("created_at", "name")


def service_action(request, action):
    if action not in ACTIONS:
        return JsonResponse({"error": "unknown action"}, status=400)
    command = ACTIONS[action]
    # ok: subprocess-shell-injection
    out = subprocess.run(command, shell=True, capture_output=True, text=True)
    return JsonResponse({"output": out.stdout})


def warm_caches(request):
    for target in ["redis-cli ping", "memcstat --servers=127.0.0.1"]:
        # ok: os-command-injection
        os.system(target)
    return JsonResponse({"ok": True})


def list_users(request):
    conn = sqlite3.connect("app.db")
    column = "name" if request.GET.get("by") == "name" else "created_at"
    # ok: sql-injection-format
    rows = conn.execute("SELECT id, name FROM users ORDER BY " + column).fetchall()
    return JsonResponse({"users": rows})


def restart_unit(request, unit):
    if unit not in ALLOWED_UNITS:
        return JsonResponse({"error": "unknown unit"}, status=400)
    # ok: os-command-injection
    os.system("systemctl restart " + unit)
    return JsonResponse({"ok": True})


def run_hook(hook):
    # The hook comes from the caller: nothing proves it constant.
    # ruleid: os-command-injection
    os.system("sh -c " + hook)


def sorted_users(conn, column):
    # The column comes from the caller.
    # ruleid: sql-injection-format
    return conn.execute("SELECT id, name FROM users ORDER BY " + column).fetchall()
