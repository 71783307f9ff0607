import hashlib

# ruleid: string-metavariable
hashlib.new("md5")
# ruleid: string-metavariable
hashlib.new('sha1', b"data")
ALG = "md5"
# ruleid: string-metavariable
hashlib.new(ALG)
# ok: string-metavariable
hashlib.new("sha256")
# ok: string-metavariable
hashlib.new("xmd5")
# ok: string-metavariable
hashlib.new(name)


def query(name):
    # ruleid: fstring-metavariable
    run(f"SELECT * FROM person WHERE name='{name}'")
    # ruleid: fstring-metavariable
    run(f"delete from t where id={name}")
    # ok: fstring-metavariable
    run(f"{name} SELECT")
    # ok: fstring-metavariable
    run(f"hello {name}")
    # ok: fstring-metavariable
    run("SELECT 1")
