from Crypto.PublicKey import DSA, RSA
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa


def make_signing_key():
    # ruleid: weak-asymmetric-key-size
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


def make_test_key():
    # ruleid: weak-asymmetric-key-size
    return rsa.generate_private_key(65537, 512)


def make_dsa_key():
    # ruleid: weak-asymmetric-key-size
    return dsa.generate_private_key(key_size=1024)


def make_pycrypto_rsa_key():
    # ruleid: weak-asymmetric-key-size
    key = RSA.generate(1024)
    return key.export_key()


def make_pycrypto_dsa_key():
    # ruleid: weak-asymmetric-key-size
    return DSA.generate(bits=1024)


def make_legacy_key():
    # ruleid: weak-asymmetric-key-size
    return rsa.generate_private_key(
        public_exponent=65537,
        key_size=2047,
    )


def make_ec_key():
    # ruleid: weak-asymmetric-key-size
    return ec.generate_private_key(ec.SECP192R1())


def make_signing_key_safe():
    # ok: weak-asymmetric-key-size
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_long_lived_key():
    # ok: weak-asymmetric-key-size
    return rsa.generate_private_key(65537, 4096)


def make_dsa_key_safe():
    # ok: weak-asymmetric-key-size
    return dsa.generate_private_key(key_size=3072)


def make_pycrypto_rsa_key_safe():
    # ok: weak-asymmetric-key-size
    key = RSA.generate(3072)
    return key.export_key()


def make_pycrypto_dsa_key_safe():
    # ok: weak-asymmetric-key-size
    return DSA.generate(bits=2048)


def make_ec_key_safe():
    # ok: weak-asymmetric-key-size
    return ec.generate_private_key(ec.SECP256R1())
