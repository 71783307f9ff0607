"""Tasks API: a Flask JSON API that authenticates users with JSON Web Tokens (PyJWT)."""
import datetime

import jwt
from flask import Flask, g, jsonify, request

app = Flask(__name__)

JWT_SECRET = "9c4f1e7a2b8d6035f1a4c9e7b2d8063a"
TASKS = {1: {"owner": "alice", "title": "Write report"}}


def issue_token(username, is_admin=False):
    now = datetime.datetime.now(datetime.timezone.utc)
    roles = ["user", "admin"] if is_admin else ["user"]
    claims = {"sub": username, "roles": roles, "iat": now,
              "exp": now + datetime.timedelta(hours=8)}
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


def current_user():
    header = request.headers.get("Authorization", "")
    token = header.removeprefix("Bearer ")
    claims = jwt.decode(token, JWT_SECRET, algorithms=["HS256"])
    return claims["sub"], claims.get("roles", [])


@app.route("/tasks/<int:task_id>")
def get_task(task_id):
    user, _ = current_user()
    task = TASKS.get(task_id)
    if task is None or task["owner"] != user:
        return jsonify(error="not found"), 404
    return jsonify(task)


@app.route("/profile")
def profile():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})
    return jsonify(user=claims["sub"], roles=claims.get("roles", []))


@app.route("/admin/tasks", methods=["DELETE"])
def purge_tasks():
    token = request.cookies.get("session_jwt", "")
    claims = jwt.decode(token, JWT_SECRET, algorithms=["HS256", "none"])
    assert "admin" in claims.get("roles", []), "admin role required"
    TASKS.clear()
    return jsonify(deleted=True)


@app.route("/service-token", methods=["POST"])
def service_token():
    service = request.json["service"]
    token = jwt.encode({"sub": service, "scope": "internal"}, None, algorithm="none")
    return jsonify(token=token)


@app.before_request
def log_user():
    try:
        g.user, _ = current_user()
    except Exception:
        pass


if __name__ == "__main__":
    app.run(port=5001)
