import base64
import json
import pickle
import shelve
from pickle import loads as unpickle

import dill
import jsonpickle
import pandas as pd


def load_session(cookie_value):
    # ruleid: unsafe-deserialization-pickle
    return pickle.loads(base64.b64decode(cookie_value))


def load_model(path):
    with open(path, "rb") as fh:
        # ruleid: unsafe-deserialization-pickle
        return pickle.load(fh)


def load_stream(fh):
    # ruleid: unsafe-deserialization-pickle
    return pickle.Unpickler(fh).load()


def from_cache(blob):
    # ruleid: unsafe-deserialization-pickle
    return unpickle(blob)


def restore_function(blob):
    # ruleid: unsafe-deserialization-pickle
    return dill.loads(blob)


def open_store(path):
    # ruleid: unsafe-deserialization-pickle
    return shelve.open(path)


def decode_payload(payload):
    # ruleid: unsafe-deserialization-pickle
    return jsonpickle.decode(payload)


def read_frame(upload_path):
    # ruleid: unsafe-deserialization-pickle
    return pd.read_pickle(upload_path)


def load_session_safe(cookie_value):
    # ok: unsafe-deserialization-pickle
    return json.loads(base64.b64decode(cookie_value))


def save_model(model, path):
    with open(path, "wb") as fh:
        # ok: unsafe-deserialization-pickle
        pickle.dump(model, fh)


def encode_payload(obj):
    # ok: unsafe-deserialization-pickle
    return jsonpickle.encode(obj)


def read_frame_safe(upload_path):
    # ok: unsafe-deserialization-pickle
    return pd.read_csv(upload_path)


EMPTY_CART = pickle.dumps([])


def empty_cart():
    # The data is the program's own constant: reported at LOW severity only, because pickle
    # runs code from whatever data it is given.
    # ruleid: unsafe-deserialization-pickle
    return pickle.loads(EMPTY_CART)
