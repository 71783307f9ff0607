import ast
import builtins
import json
import re


def calculate(expression):
    # ruleid: code-injection-eval
    return eval(expression)


def make_filter(request):
    # ruleid: code-injection-eval
    return eval("lambda item: " + request.args["condition"])


def apply_plugin(source):
    namespace = {}
    # ruleid: code-injection-eval
    exec(source, namespace)
    return namespace


def run_template(name, body):
    # ruleid: code-injection-eval
    exec(f"def {name}():\n    return {body}\n", globals())


def load_script(path):
    with open(path) as fh:
        # ruleid: code-injection-eval
        code = compile(fh.read(), path, "exec")
    return code


def evaluate_rule(rule_text, context):
    # ruleid: code-injection-eval
    return builtins.eval(rule_text, {}, context)


def parse_settings(text):
    # ok: code-injection-eval
    return ast.literal_eval(text)


def parse_payload(data):
    # ok: code-injection-eval
    return json.loads(data)


def constant():
    # ok: code-injection-eval
    return eval("2 ** 10")


def user_regex(pattern, value):
    # ok: code-injection-eval
    return re.compile(pattern).search(value)


def default_limits():
    source = "{'cpu': 2, 'memory': 512}"
    # The evaluated text is a constant assigned above.
    # ok: code-injection-eval
    return eval(source)


def scale(factor):
    # int() leaves only a number in the code.
    # ok: code-injection-eval
    return eval("10 * %d" % int(factor))
