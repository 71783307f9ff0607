# exercises: io.StringIO holds what was written into it: getvalue() is tainted only when request data was written
import io
import os

from flask import Flask, request

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)


@app.route("/notify")
# ruleid: state-change-on-get
def notify():
    buf = io.StringIO()
    buf.write("user=")
    buf.write(request.args.get("user", ""))
    # ruleid: path-traversal-request-input
    os.remove(buf.getvalue())
    return "sent"


@app.route("/notify-safe")
# ruleid: state-change-on-get
def notify_safe():
    buf = io.StringIO()
    user = request.args.get("user", "")
    buf.write("a user signed in")
    # ok: path-traversal-request-input
    os.remove(buf.getvalue())
    return "sent " + str(len(user))


@app.route("/notify-seeded")
# ruleid: state-change-on-get
def notify_seeded():
    buf = io.StringIO(request.args.get("prefix", ""))
    buf.write(" signed in")
    # ruleid: path-traversal-request-input
    os.remove(buf.getvalue())
    return "sent"


@app.route("/notify-two-buffers")
# ruleid: state-change-on-get
def notify_two_buffers():
    audit = io.StringIO()
    message = io.StringIO()
    audit.write(request.args.get("user", ""))
    message.write("a user signed in")
    app.logger.info("audit: %d characters", len(audit.getvalue()))
    # ok: path-traversal-request-input
    os.remove(message.getvalue())
    return "sent"
