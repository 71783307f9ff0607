from flask import Flask, request

app = Flask(__name__)


@app.route("/a")
def echo():
    name = request.args.get("name")
    # ruleid: taint-statement-sink
    return name


@app.route("/b")
def constant():
    name = request.args.get("name")
    print(name)
    # ok: taint-statement-sink
    return "ok"
