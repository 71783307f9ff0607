from flask import request

# ruleid: deep-expression
if request.args:
    pass
# ruleid: deep-expression
if "admin" in request.args.get("role", "") and ok():
    pass
# ruleid: deep-expression
if not check(x=len(request.args)):
    pass
# ok: deep-expression
if request.form:
    pass
# ok: deep-expression
while request.args:
    break
