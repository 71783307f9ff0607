import hashlib

# ruleid: not-regex-scope
hashlib.md5(data)
# ok: not-regex-scope
hashlib.md5(data, usedforsecurity=False)
# ok: not-regex-scope
hashlib.sha1(
    data,
    usedforsecurity = False,
)
# ruleid: not-regex-scope
hashlib.sha1(data, usedforsecurity=True)
