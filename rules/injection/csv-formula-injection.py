import csv
import io

from django.http import HttpResponse
from flask import Flask, request, Response

app = Flask(__name__)


def export_contacts(request):
    response = HttpResponse(content_type="text/csv")
    writer = csv.writer(response)
    name = request.GET.get("name")
    # ruleid: csv-formula-injection
    writer.writerow(["name", name])
    return response


def export_feedback(request):
    response = HttpResponse(content_type="text/csv")
    writer = csv.DictWriter(response, fieldnames=["comment"])
    writer.writeheader()
    # ruleid: csv-formula-injection
    writer.writerow({"comment": request.POST["comment"]})
    return response


@app.route("/report")
def report():
    buffer = io.StringIO()
    out = csv.writer(buffer)
    rows = [[request.args.get("title"), "total"]]
    # ruleid: csv-formula-injection
    out.writerows(rows)
    return Response(buffer.getvalue(), mimetype="text/csv")


def neutralise(cell):
    cell = str(cell)
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def export_contacts_safe(request):
    response = HttpResponse(content_type="text/csv")
    writer = csv.writer(response)
    # ok: csv-formula-injection
    writer.writerow(["name", neutralise(request.GET.get("name"))])
    return response


def export_quantity(request):
    response = HttpResponse(content_type="text/csv")
    writer = csv.writer(response)
    # ok: csv-formula-injection
    writer.writerow(["quantity", int(request.GET.get("qty"))])
    return response


@app.route("/static-report")
def static_report():
    buffer = io.StringIO()
    out = csv.writer(buffer)
    # ok: csv-formula-injection
    out.writerow(["title", "total"])
    return Response(buffer.getvalue(), mimetype="text/csv")
