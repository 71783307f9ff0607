def first(a, b, c):
    # ruleid: every-match
    g(a)


def third(a, b, c):
    # ruleid: every-match
    return g(c)


def middle(a, b, c):
    x = 1
    # ruleid: every-match
    g(b)
    # ok: every-match
    g(x)


def none(a):
    # ok: every-match
    g(a.b)


# ruleid: every-match-keyword
call(1, x=public, y=secret_key)
# ruleid: every-match-keyword
call(y=secret_key, x=public)
# ok: every-match-keyword
call(1, x=public, y=other)


client = SSHClient()
# ruleid: every-end
client.set_missing_host_key_policy(AutoAddPolicy())
# ruleid: every-end
client.set_missing_host_key_policy(WarningPolicy())
# ok: every-end
client.set_missing_host_key_policy(RejectPolicy())
# ok: every-end
other.set_missing_host_key_policy(AutoAddPolicy())
