from flask import Flask

# ruleid: flask-security-headers-missing
app = Flask(__name__)


@app.route("/")
def index():
    return "hello"
