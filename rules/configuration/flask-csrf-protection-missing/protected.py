from flask import Flask, request
from flask_wtf.csrf import CSRFProtect

# ok: flask-csrf-protection-missing
app = Flask(__name__)
CSRFProtect(app)


@app.route("/email", methods=["POST"])
def change_email():
    return request.form["email"]
