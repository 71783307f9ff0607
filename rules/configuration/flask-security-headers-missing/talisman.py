from flask import Flask
from flask_talisman import Talisman

# ok: flask-security-headers-missing
app = Flask(__name__)
Talisman(app, content_security_policy={"default-src": "'self'"})


@app.route("/")
def index():
    return "hello"
