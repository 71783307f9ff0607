from cryptography.hazmat.primitives import hashes

# ruleid: weak-hash
hashes.SHA1()
# ruleid: weak-hash
hashes.MD5()
# ok: weak-hash
hashes.SHA256()

# ruleid: generic-html
render("<p>hi</p><script src='x.js'></script>")
# ok: generic-html
render("<p>hi</p>")
