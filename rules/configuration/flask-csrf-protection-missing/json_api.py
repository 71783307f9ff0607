from flask import Flask, request

# ok: flask-csrf-protection-missing
app = Flask(__name__)


@app.route("/api/items", methods=["POST"])
def create_item():
    return request.get_json()
