import base64
import io
import json
import marshal
import pickle
import socket

import dill
import numpy as np
import torch
import yaml
from django.http import JsonResponse
from fastapi import FastAPI, Request
from flask import Flask, jsonify, request
from openai import OpenAI

app = Flask(__name__)
api = FastAPI()
client = OpenAI()

DEFAULT_CART = pickle.dumps([])


@app.route("/cart")
def cart():
    # ruleid: untrusted-deserialization
    items = pickle.loads(base64.b64decode(request.cookies["cart"]))
    return jsonify(items=items)


@app.route("/import", methods=["POST"])
def import_objects():
    payload = request.get_data()
    # ruleid: untrusted-deserialization
    objects = dill.loads(payload)
    return jsonify(count=len(objects))


@app.route("/config", methods=["POST"])
def upload_config():
    # ruleid: untrusted-deserialization
    config = yaml.load(request.data, Loader=yaml.Loader)
    return jsonify(config)


@app.route("/model", methods=["POST"])
def upload_model():
    checkpoint = request.files["checkpoint"]
    # ruleid: untrusted-deserialization
    state = torch.load(checkpoint, map_location="cpu")
    return jsonify(keys=list(state))


@app.route("/array", methods=["POST"])
def upload_array():
    # ruleid: untrusted-deserialization
    arr = np.load(io.BytesIO(request.get_data()), allow_pickle=True)
    return jsonify(shape=list(arr.shape))


@app.route("/bytecode", methods=["POST"])
def load_bytecode():
    # ruleid: untrusted-deserialization
    code = marshal.loads(request.get_data())
    return jsonify(name=code.co_name)


def django_restore(request):
    blob = request.POST.get("state", "")
    # ruleid: untrusted-deserialization
    state = pickle.loads(base64.b64decode(blob))
    return JsonResponse({"keys": list(state)})


@api.post("/jobs")
async def submit_job(req: Request):
    body = await req.body()
    # ruleid: untrusted-deserialization
    job = pickle.loads(body)
    return {"id": job.id}


def serve_worker(port):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", port))
    server.listen()
    conn, _ = server.accept()
    data = conn.recv(65536)
    # ruleid: untrusted-deserialization
    task = pickle.loads(data)
    conn.sendall(pickle.dumps(task.run()))


@app.route("/assistant/plan", methods=["POST"])
def assistant_plan():
    reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": request.form["q"]}])
    # ruleid: untrusted-deserialization
    plan = yaml.unsafe_load(reply.choices[0].message.content)
    return jsonify(plan)


# --- moved through a helper function, a dict and an f-string --------------------------------


def decode_session(raw):
    return pickle.loads(base64.urlsafe_b64decode(raw))


@app.route("/session")
def restore_session():
    # ruleid: untrusted-deserialization
    return jsonify(decode_session(request.cookies.get("session", "")))


@app.route("/template", methods=["POST"])
def template():
    fields = {"name": request.form["name"], "kind": "report"}
    document = f"name: {fields['name']}\nkind: {fields['kind']}\n"
    # ruleid: untrusted-deserialization
    return jsonify(yaml.load(document, Loader=yaml.FullLoader))


# --- safe ------------------------------------------------------------------------------------


@app.route("/cart-safe")
def cart_safely():
    # ok: untrusted-deserialization
    items = json.loads(base64.b64decode(request.cookies["cart"]))
    return jsonify(items=items)


@app.route("/config-safe", methods=["POST"])
def upload_config_safely():
    # ok: untrusted-deserialization
    config = yaml.load(request.data, Loader=yaml.SafeLoader)
    return jsonify(config)


@app.route("/model-safe", methods=["POST"])
def upload_model_safely():
    # ok: untrusted-deserialization
    state = torch.load(request.files["checkpoint"], map_location="cpu", weights_only=True)
    return jsonify(keys=list(state))


@app.route("/array-safe", methods=["POST"])
def upload_array_safely():
    # ok: untrusted-deserialization
    arr = np.load(io.BytesIO(request.get_data()))
    return jsonify(shape=list(arr.shape))


@app.route("/cart-default")
def cart_default():
    blob = request.cookies.get("cart")
    blob = DEFAULT_CART
    # ok: untrusted-deserialization
    return jsonify(items=pickle.loads(blob))


@app.route("/cart-debug")
def cart_debug():
    blob = DEFAULT_CART
    if False:
        blob = base64.b64decode(request.cookies["cart"])
    # ok: untrusted-deserialization
    return jsonify(items=pickle.loads(blob))


def load_local_cache(path):
    # a path of unknown origin: the pattern rule unsafe-deserialization-pickle reports this
    with open(path, "rb") as fh:
        # ok: untrusted-deserialization
        return pickle.load(fh)
