# ruleid: pycrypto-import
from Crypto.Cipher import AES
# ruleid: pycrypto-import
from Crypto import Random
# ruleid: pycrypto-import
import Crypto.PublicKey.RSA
# ruleid: pycrypto-import
import os, Crypto
# ruleid: pycrypto-import
import Crypto as legacy_crypto

# ok: pycrypto-import
from Cryptodome.Cipher import AES as DomeAES
# ok: pycrypto-import
import Cryptodome.PublicKey.RSA
# ok: pycrypto-import
from cryptography.fernet import Fernet
# ok: pycrypto-import
import cryptography


def describe():
    # ok: pycrypto-import
    return "from Crypto.Cipher import AES is PyCrypto's import line"
