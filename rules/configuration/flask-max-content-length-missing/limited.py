from flask import Flask, request

# ok: flask-max-content-length-missing
app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024


@app.post("/avatar")
def avatar():
    request.files["file"].save("/srv/uploads/avatar.png")
    return "ok"
