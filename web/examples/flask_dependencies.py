"""A small Flask link shortener whose requirements.txt (the second tab) needs a review."""
import os

import reqeusts
from flask import Flask, abort, redirect, request

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SHORTENER_SECRET"]
LINKS = {}


@app.post("/links")
def create_link():
    url = request.form["url"]
    # Check that the target answers before storing it.
    reqeusts.head(url, timeout=5)
    key = os.urandom(4).hex()
    LINKS[key] = url
    return {"key": key}


@app.get("/<key>")
def follow(key):
    if key not in LINKS:
        abort(404)
    return redirect(LINKS[key])
