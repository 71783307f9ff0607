import json
from dataclasses import dataclass

# ruleid: any-dict
json.dumps({"a": 1})
# ruleid: any-dict
json.dumps({})
# ok: any-dict
json.dumps([1, 2])


# ruleid: class-decorator
@dataclass
class Point:
    x: int


# ok: class-decorator
class Plain:
    x: int


def work():
    # ruleid: insides-intersect
    with lock:
        step()


# ok: insides-intersect
with lock:
    step()

# ruleid: fstring-plain
execute(f"SELECT 1")
# ruleid: fstring-plain
execute("SELECT 2")
# ok: fstring-plain
execute(f"SELECT {x}")

# ruleid: any-target
data = load()
# ruleid: any-target
a, b = load()
# ok: any-target
data = save()

# ruleid: multiline-dict
configure({"name": "x", "debug": True})
# ok: multiline-dict
configure({"name": "x", "debug": False})

# ruleid: method-chain
User.objects.filter(a=1).order_by("b").raw("SELECT")
# ruleid: method-chain
User.objects.raw("SELECT")
# ok: method-chain
User.manager.filter(a=1).raw("SELECT")

# ruleid: for-any-target
for k in request.args:
    pass
# ruleid: for-any-target
for k, v in request.args:
    pass
# ok: for-any-target
for k in request.form:
    pass

# ruleid: with-any-target
with open(path, "w") as f:
    f.write(x)
# ok: with-any-target
with open(path, "r") as f:
    f.read()


def handler(event, context):
    # ruleid: dict-sanitizer
    table.scan(ScanFilter=event.body.filter)
    # ok: dict-sanitizer
    table.scan(ScanFilter={"name": event.body.name})
