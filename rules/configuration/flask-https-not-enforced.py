from flask import Flask
from flask_talisman import Talisman

# ruleid: flask-https-not-enforced
app = Flask(__name__)
Talisman(app, force_https=False)


@app.route("/")
def index():
    return "hello"
