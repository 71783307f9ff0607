from flask import Flask
from flask_sslify import SSLify

# ok: flask-https-not-enforced
app = Flask(__name__)
SSLify(app)


@app.route("/")
def index():
    return "hello"
