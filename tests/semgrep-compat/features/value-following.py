import subprocess

flag = True
# ruleid: value-following
subprocess.call(cmd, shell=flag)
# ruleid: value-following
subprocess.call(cmd, shell=True)
computed = is_admin() or True
# ok: value-following
subprocess.call(cmd, shell=computed)

d = {}
# ok: no-lhs-following
y = d[k]
# ruleid: no-lhs-following
d[k] = y


def link(p, parts):
    url = "https://"
    # ruleid: url-concat
    url = url + p
    # ok: url-concat
    url = url + "/x"
    base = "https://"
    for part in parts:
        # ok: url-concat
        base = base + part
    return url, base
