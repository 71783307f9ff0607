from flask import Flask, redirect, request

# ok: flask-https-not-enforced
app = Flask(__name__)


@app.before_request
def force_https():
    if not request.is_secure:
        return redirect(request.url.replace("http://", "https://", 1), code=301)
    return None


@app.route("/")
def index():
    return "hello"
