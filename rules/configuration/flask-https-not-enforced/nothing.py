from flask import Flask, session

# ruleid: flask-https-not-enforced
app = Flask(__name__)


@app.route("/me")
def me():
    return {"user": session.get("user_id")}
