from flask import Flask

# ok: flask-security-headers-missing
app = Flask(__name__)


@app.after_request
def security_headers(response):
    response.headers["Content-Security-Policy"] = "default-src 'self'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@app.route("/")
def index():
    return "hello"
