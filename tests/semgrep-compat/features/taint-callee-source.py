import hashlib


def store(user, pw):
    digest = hashlib.md5(pw).hexdigest()
    # ruleid: taint-callee-source
    user.set_password(digest)


def store_sha(user, pw):
    digest = hashlib.sha256(pw).hexdigest()
    # ok: taint-callee-source
    user.set_password(digest)


def store_plain(user, pw):
    # ok: taint-callee-source
    user.set_password(pw)
