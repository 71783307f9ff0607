from flask import Flask

# ok: flask-security-headers-missing
app = Flask(__name__)
app.config.from_object("shop.settings")
