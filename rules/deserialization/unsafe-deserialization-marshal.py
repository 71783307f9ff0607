import json
import marshal
from marshal import loads as unmarshal


def load_code(path):
    with open(path, "rb") as fh:
        # ruleid: unsafe-deserialization-marshal
        return marshal.load(fh)


def load_rules(blob):
    # ruleid: unsafe-deserialization-marshal
    return marshal.loads(blob)


def run_snippet(blob, namespace):
    # ruleid: unsafe-deserialization-marshal
    code = unmarshal(blob)
    exec(code, namespace)


def load_rules_safe(blob):
    # ok: unsafe-deserialization-marshal
    return json.loads(blob)


def save_code(source, path):
    with open(path, "wb") as fh:
        # ok: unsafe-deserialization-marshal
        marshal.dump(compile(source, path, "exec"), fh)


def to_bytes(data):
    # ok: unsafe-deserialization-marshal
    return marshal.dumps(data)
