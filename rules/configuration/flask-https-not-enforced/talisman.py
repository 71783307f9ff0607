from flask import Flask
from flask_talisman import Talisman

# ok: flask-https-not-enforced
app = Flask(__name__)
Talisman(app)


@app.route("/")
def index():
    return "hello"
