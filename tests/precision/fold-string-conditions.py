# exercises: constant folding of string and boolean conditions in Django views: membership, slicing, string methods and and/or/not on module constants decide which branch runs
import os

from django.http import HttpResponse

EXPORT_DIR = "/srv/exports"
FEATURE_FLAGS = ("audit", "export")
BACKEND = "postgres"
DEBUG_EXPORT = False


def download(request):
    name = request.GET.get("name", "")
    if "legacy" in FEATURE_FLAGS:
        path = name
    else:
        path = "latest.csv"
    # ok: path-traversal-request-input
    with open(os.path.join(EXPORT_DIR, path), "rb") as fh:
        return HttpResponse(fh.read(), content_type="text/csv")


def download_named(request):
    name = request.GET.get("name", "")
    if "export" in FEATURE_FLAGS and not DEBUG_EXPORT:
        path = name
    else:
        path = "latest.csv"
    # ruleid: path-traversal-request-input
    with open(os.path.join(EXPORT_DIR, path), "rb") as fh:
        return HttpResponse(fh.read(), content_type="text/csv")


def banner(request):
    msg = request.GET.get("msg", "")
    text = msg if BACKEND[:4] == "post" else "maintenance"
    # ruleid: reflected-xss
    return HttpResponse("<div class='banner'>" + text + "</div>")


def banner_static(request):
    msg = request.GET.get("msg", "")
    text = msg if BACKEND.startswith("mysql") or DEBUG_EXPORT else "maintenance"
    # ok: reflected-xss
    return HttpResponse("<div class='banner'>" + text + "</div>")
