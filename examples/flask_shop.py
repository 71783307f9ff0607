"""A small Flask shop with the mistakes a secure-coding workshop looks for."""
import hashlib
import os
import pickle
import random
import sqlite3
import subprocess

import requests
import yaml
from flask import Flask, render_template_string, request

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev-secret-key-123"


def db():
    return sqlite3.connect("shop.db")


@app.route("/product")
def product():
    pid = request.args.get("id")
    cur = db().cursor()
    cur.execute(f"SELECT name, price FROM products WHERE id = {pid}")
    row = cur.fetchone()
    return render_template_string("<h1>" + row[0] + "</h1>")


@app.route("/thumbnail")
def thumbnail():
    name = request.args["file"]
    subprocess.run(f"convert uploads/{name} -resize 64x64 thumbs/{name}", shell=True)
    return "ok"


@app.route("/cart", methods=["POST"])
def restore_cart():
    return str(pickle.loads(request.get_data()))


@app.route("/import", methods=["POST"])
def import_catalog():
    return str(yaml.load(request.data))


def reset_token():
    return "".join(random.choice("abcdef0123456789") for _ in range(32))


def hash_password(password):
    return hashlib.md5(password.encode()).hexdigest()


def fetch_price(url):
    return requests.get(url, verify=False).json()


if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)
