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
