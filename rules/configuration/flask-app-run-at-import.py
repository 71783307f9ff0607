from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "hello"


# ruleid: flask-app-run-at-import
app.run(port=8000)

# ruleid: flask-app-run-at-import
app.run(host="127.0.0.1", port=8001, use_reloader=False)


def main():
    # ok: flask-app-run-at-import
    app.run(port=8000)


if __name__ == "__main__":
    # ok: flask-app-run-at-import
    app.run(port=8000)
