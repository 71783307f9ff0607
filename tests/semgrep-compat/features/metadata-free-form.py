import pickle

# ruleid: metadata-free-form
pickle.loads(data)
# ok: metadata-free-form
pickle.dumps(data)
