"""Model gateway: serves predictions and restores user sessions and job state."""
import base64
import json
import marshal
import pickle

import torch
import yaml
from flask import Flask, jsonify, request

app = Flask(__name__)

MODEL_DIR = "/srv/models"


def load_settings(path="gateway.yaml"):
    with open(path) as fh:
        return yaml.safe_load(fh)


SETTINGS = load_settings()


@app.route("/predict/<model_name>", methods=["POST"])
def predict(model_name):
    model = torch.load(f"{MODEL_DIR}/{model_name}.pt")
    model.eval()
    features = torch.tensor(request.json["features"], dtype=torch.float32)
    with torch.no_grad():
        return jsonify(prediction=model(features).tolist())


@app.route("/models/upload", methods=["POST"])
def upload_weights():
    uploaded = request.files["weights"]
    state = torch.load(uploaded, map_location="cpu", weights_only=True)
    return jsonify(layers=len(state))


@app.route("/pipeline", methods=["POST"])
def import_pipeline():
    # Pipelines are shared between teams as YAML documents.
    spec = yaml.load(request.data, Loader=yaml.Loader)
    return jsonify(steps=[step["name"] for step in spec["steps"]])


@app.route("/preferences")
def preferences():
    raw = request.cookies.get("prefs")
    if not raw:
        return jsonify(theme="light")
    prefs = pickle.loads(base64.b64decode(raw))
    return jsonify(prefs)


@app.route("/jobs/resume", methods=["POST"])
def resume_job():
    checkpoint = request.files["checkpoint"]
    job = pickle.load(checkpoint)
    return jsonify(job_id=job.id, progress=job.progress)


@app.route("/plugins/run", methods=["POST"])
def run_plugin():
    code = marshal.loads(base64.b64decode(request.json["bytecode"]))
    namespace = {}
    exec(code, namespace)
    return jsonify(result=namespace.get("result"))


@app.route("/labels", methods=["POST"])
def labels():
    # Label maps are uploaded by annotators as JSON.
    mapping = json.loads(request.data)
    return jsonify(count=len(mapping))


if __name__ == "__main__":
    app.run(port=SETTINGS.get("port", 5000))
