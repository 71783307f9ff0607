import os


# ruleid: deep-statements
def last(p):
    os.remove(p)


# ruleid: deep-statements
def not_last(p):
    os.remove(p)
    return 1


# ruleid: deep-statements
def in_if(p):
    if p:
        os.remove(p)
    return 2


# ruleid: deep-statements
def in_try(p):
    try:
        with open(p) as f:
            os.remove(p)
            f.close()
    except OSError:
        pass


# ok: deep-statements
def elsewhere(p):
    os.rename(p, p + ".bak")
