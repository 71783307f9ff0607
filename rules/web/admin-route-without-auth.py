from flask import Flask, abort
from flask_login import current_user, login_required

from shop.models import User, db

app = Flask(__name__)


@app.route("/account")
@login_required
# ok: admin-route-without-auth
def account():
    return "account"


@app.route("/admin/users")
# ruleid: admin-route-without-auth
def admin_users():
    return [u.email for u in User.query.all()]


@app.route("/admin/users/<int:uid>/delete", methods=["POST"])
# ruleid: admin-route-without-auth
def delete_user(uid):
    User.query.filter_by(id=uid).delete()
    db.session.commit()
    return "deleted"


@app.route("/admin/stats")
@login_required
# ok: admin-route-without-auth
def admin_stats():
    return "stats"


@app.route("/admin/audit")
# ok: admin-route-without-auth
def admin_audit():
    if not current_user.is_admin:
        abort(403)
    return "audit"
