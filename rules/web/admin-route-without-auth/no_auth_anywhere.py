from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "hello"


@app.route("/admin")
# ok: admin-route-without-auth
def admin():
    return "an internal tool without any login in this file: not this heuristic's case"
