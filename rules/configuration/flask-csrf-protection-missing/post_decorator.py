import flask

# ruleid: flask-csrf-protection-missing
application = flask.Flask("shop")


@application.post("/comments")
def add_comment():
    text = flask.request.form.get("text", "")
    return {"ok": bool(text)}
