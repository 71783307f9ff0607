"""OpsBuddy: a chat assistant that answers questions about a server by running commands."""
import os
import subprocess

from flask import Flask, jsonify, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI(api_key=os.environ.get("OPENAI_API_KEY"))
MODEL = "gpt-4o-mini"

SYSTEM_PROMPT = (
    "You are OpsBuddy, a Linux assistant. When the user asks about the server, "
    "reply with exactly one shell command and nothing else."
)


def ask_model(system, user_text):
    response = client.chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "system", "content": system},
            {"role": "user", "content": user_text},
        ],
        temperature=0,
    )
    return response.choices[0].message.content.strip()


@app.route("/ask", methods=["POST"])
def ask():
    question = request.json["question"]
    command = ask_model(SYSTEM_PROMPT, f"Server question from {request.remote_addr}: {question}")
    result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60)
    summary = ask_model(
        "Summarise this command output for a non-technical user.",
        f"Question: {question}\nCommand: {command}\nOutput:\n{result.stdout[-4000:]}",
    )
    return jsonify(command=command, answer=summary)


@app.route("/calc", methods=["POST"])
def calc():
    expression = ask_model(
        "Turn the user's request into a single Python arithmetic expression.",
        request.json["text"],
    )
    return jsonify(value=eval(expression))


@app.route("/fix", methods=["POST"])
def autofix():
    service = request.json["service"]
    logs = subprocess.run(
        ["journalctl", "-u", service, "-n", "50", "--no-pager"],
        capture_output=True, text=True, timeout=30,
    ).stdout
    plan = ask_model(
        "You are an SRE. Given these logs, reply with one shell command that fixes the problem.",
        logs,
    )
    exit_code = os.system(plan)
    return jsonify(ran=plan, exit_code=exit_code)


@app.route("/tools/python", methods=["POST"])
def python_tool():
    snippet = ask_model("Write Python code that answers the question. Store it in `result`.",
                        request.json["question"])
    scope = {}
    exec(snippet, scope)
    return jsonify(result=str(scope.get("result")))


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=7860, debug=True)
