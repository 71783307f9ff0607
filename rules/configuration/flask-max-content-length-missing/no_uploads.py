from flask import Flask, request

# ok: flask-max-content-length-missing
app = Flask(__name__)


@app.post("/comment")
def comment():
    return request.get_json()
