from flask import Flask, request

# ok: flask-max-content-length-missing
app = Flask(__name__)
app.config.update(MAX_CONTENT_LENGTH=16 * 1024 * 1024, UPLOAD_FOLDER="/srv/uploads")


@app.post("/avatar")
def avatar():
    request.files["file"].save("/srv/uploads/avatar.png")
    return "ok"
