from cryptography.hazmat.primitives.asymmetric import rsa

# ruleid: metavariable-comparison
rsa.generate_private_key(public_exponent=65537, key_size=1024)
# ruleid: metavariable-comparison
rsa.generate_private_key(key_size=0x400)
# ruleid: metavariable-comparison
app.run(port=23)
# ok: metavariable-comparison
rsa.generate_private_key(public_exponent=65537, key_size=4096)
# ok: metavariable-comparison
rsa.generate_private_key(key_size=os.getenv("SIZE"))
# ok: metavariable-comparison
app.run(port=8080)
