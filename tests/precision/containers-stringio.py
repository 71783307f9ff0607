# exercises: io.StringIO holds what was written into it: getvalue() is tainted only when request data was written
import io
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/notify")
def notify():
    buf = io.StringIO()
    buf.write("user=")
    buf.write(request.args.get("user", ""))
    # ruleid: path-traversal-request-input
    os.remove(buf.getvalue())
    return "sent"


@app.route("/notify-safe")
def notify_safe():
    buf = io.StringIO()
    user = request.args.get("user", "")
    buf.write("a user signed in")
    # ok: path-traversal-request-input
    os.remove(buf.getvalue())
    return "sent " + str(len(user))
