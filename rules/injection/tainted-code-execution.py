import ast
import builtins
import json
import sys
import textwrap

from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, jsonify, request
from openai import OpenAI

app = Flask(__name__)
api = FastAPI()
llm = OpenAI()

OPERATIONS = {"sum": sum, "max": max, "min": min}
SAFE_FORMULAS = {"price * 1.2", "price * 0.8"}


@app.route("/calc")
def calc():
    expr = request.args["expr"]
    # ruleid: tainted-code-execution
    return str(eval(expr))


@app.route("/calc/literal")
def calc_literal():
    expr = request.args["expr"]
    # ok: tainted-code-execution
    return str(ast.literal_eval(expr))


@app.route("/filter", methods=["POST"])
def filter_items():
    condition = request.form["condition"]
    # ruleid: tainted-code-execution
    keep = eval("lambda item: " + condition, {"__builtins__": {}})
    return jsonify([i for i in load_items() if keep(i)])


@app.route("/aggregate")
def aggregate():
    # The name only selects a function from a fixed table.
    op = OPERATIONS[request.args.get("op", "sum")]
    return jsonify(op(load_numbers()))


@app.route("/hook", methods=["POST"])
def run_hook():
    body = request.get_json()
    namespace = {}
    # ruleid: tainted-code-execution
    exec(body["code"], namespace)
    return jsonify(sorted(namespace))


@app.route("/settings", methods=["POST"])
def update_settings():
    # ok: tainted-code-execution
    settings = json.loads(request.data)
    # ok: tainted-code-execution
    defaults = eval("{'theme': 'light', 'page_size': 20}")
    return jsonify({**defaults, **settings})


# Passed through a helper function of the same file.
def make_function(name, body):
    source = f"def {name}(x):\n    return {body}\n"
    code = compile(source, "<user>", "exec")
    namespace = {}
    exec(code, namespace)
    return namespace[name]


@app.route("/functions", methods=["POST"])
def define_function():
    # ruleid: tainted-code-execution
    fn = make_function("f", request.form["body"])
    return jsonify(result=fn(2))


@app.route("/price")
def price():
    formula = request.args.get("formula", "price")
    # Overwritten with a constant before it is run.
    formula = "price * 1.2"
    # ok: tainted-code-execution
    return str(eval(formula, {"price": 10.0}))


@app.route("/price/choice")
def price_choice():
    formula = request.args.get("formula", "price")
    if formula not in SAFE_FORMULAS:
        return "unknown formula", 400
    # ok: tainted-code-execution
    return str(eval(formula, {"price": 10.0}))


@app.route("/debug/eval")
def debug_eval():
    snippet = "None"
    if False:
        snippet = request.args["snippet"]
    # ok: tainted-code-execution
    return repr(eval(snippet))


@app.route("/rules", methods=["POST"])
def apply_rule():
    # Moved through a dict, then an f-string.
    rule = {"field": request.form["field"], "limit": 100}
    check = f"record['{rule['field']}'] < {rule['limit']}"
    # ruleid: tainted-code-execution
    return jsonify(ok=builtins.eval(check, {"record": {"a": 1}}))


@app.route("/eval/direct")
def eval_direct():
    # ruleid: tainted-code-execution
    value = eval(request.args.get("value", "0"))
    # ruleid: tainted-code-execution
    exec(request.form.get("code", "pass"), {"__builtins__": {}})
    return repr(value)


@app.route("/page")
def page():
    number = int(request.args["page"])
    # ok: tainted-code-execution
    return str(eval(f"{number} * 20"))


def django_eval(request):
    expression = request.GET["expression"]
    # ruleid: tainted-code-execution
    return JsonResponse({"value": eval(expression)})


@api.post("/script")
def run_script(script: str):
    # ruleid: tainted-code-execution
    exec(textwrap.dedent(script), {})
    return {"ok": True}


def solve(task):
    reply = llm.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": "Write Python that computes: " + task}],
    )
    answer = reply.choices[0].message.content
    scope = {}
    # ruleid: tainted-code-execution
    exec(answer.strip(), scope)
    # ruleid: tainted-code-execution
    exec(answer.strip().removeprefix("```python").removesuffix("```"), scope)
    return scope.get("result")


def load_plugin(path):
    with open(path) as fh:
        source = fh.read()
    # ruleid: tainted-code-execution
    exec(source, {"__name__": "plugin"})


def load_plugin_inline(path):
    with open(path) as fh:
        # ruleid: tainted-code-execution
        exec(fh.read(), {"__name__": "plugin"})


def main():
    # ruleid: tainted-code-execution
    print(eval(sys.argv[1]))


def load_items():
    return [{"a": 1}]


def load_numbers():
    return [1, 2, 3]
