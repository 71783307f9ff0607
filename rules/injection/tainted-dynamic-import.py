import argparse
import importlib
import importlib as il
from importlib import import_module

from flask import Flask, abort, request

import exporters.csv_export
import exporters.json_export

app = Flask(__name__)

EXPORTERS = {"csv": exporters.csv_export, "json": exporters.json_export}
ALLOWED_PLUGINS = {"markdown", "rst"}
DEFAULT_PLUGIN = "markdown"


@app.route("/export")
def export():
    # ruleid: tainted-dynamic-import
    exporter = importlib.import_module("exporters." + request.args["format"])
    return exporter.run()


@app.route("/export-safe")
def export_safe():
    fmt = request.args.get("format", "csv")
    if fmt not in EXPORTERS:
        abort(400)
    # ok: tainted-dynamic-import
    exporter = importlib.import_module("exporters." + fmt)
    return exporter.run()


@app.route("/render/<plugin>")
def render(plugin):
    # ruleid: tainted-dynamic-import
    mod = import_module(plugin)
    return mod.render(request.get_data(as_text=True))


@app.route("/render-safe/<plugin>")
def render_safe(plugin):
    if plugin in ALLOWED_PLUGINS:
        # ok: tainted-dynamic-import
        mod = import_module(plugin)
        return mod.render(request.get_data(as_text=True))
    abort(404)


@app.post("/hook")
def hook():
    name = request.get_json()["handler"]
    # ruleid: tainted-dynamic-import
    handler = __import__(name)
    return handler.handle()


@app.post("/hook-const")
def hook_const():
    # ok: tainted-dynamic-import
    handler = il.import_module(DEFAULT_PLUGIN)
    return handler.handle(request.get_json())


def django_view(request):
    module_name = request.GET.get("backend")
    # ruleid: tainted-dynamic-import
    backend = il.import_module(f"backends.{module_name}")
    return backend.run()


def load_uploaded(request):
    path = request.POST["path"]
    # ruleid: tainted-dynamic-import
    spec = importlib.util.spec_from_file_location("uploaded", path)
    return spec


def cli():
    parser = argparse.ArgumentParser()
    parser.add_argument("--plugin")
    args = parser.parse_args()
    # ruleid: tainted-dynamic-import
    return importlib.import_module(args.plugin)


def model_picks_module(client, question):
    answer = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}])
    # ruleid: tainted-dynamic-import
    return importlib.import_module(answer.choices[0].message.content)


def static_import():
    # ok: tainted-dynamic-import
    return importlib.import_module("json")
