import re
import shutil
import time

# ruleid: entropy-secret
api_key = "AKIAZ3J9QX7P2LRT8VW4"
# ok: entropy-secret
greeting = "hello world, how are you"

# ruleid: redos-regex
re.compile(r"^(\w+\s?)*$")
# ok: redos-regex
re.compile(r"^[a-z]+$")

name = "alice"
count = 3
# ruleid: type-str
run(name)
# ruleid: type-str
run("literal")
# ok: type-str
run(count)

# ruleid: typed-metavariable
time.sleep(5)
# ok: typed-metavariable
time.sleep(0.5)

# ruleid: focus-list
shutil.copy(a,
# ruleid: focus-list
            b)

# ruleid: nested-not
open(path)
# ok: nested-not
open(path, "rb")
# ruleid: nested-not
open(path, "w")

# ruleid: mvp-only-not
getattr(obj, "danger")
# ok: mvp-only-not
getattr(obj, "safe")
