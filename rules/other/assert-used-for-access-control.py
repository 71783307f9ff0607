from django.core.exceptions import PermissionDenied

API_TOKEN = "change-me"


def delete_project(user, project):
    # ruleid: assert-used-for-access-control
    assert user.is_admin
    project.delete()


def view_invoice(request, invoice):
    # ruleid: assert-used-for-access-control
    assert request.user.has_perm("billing.view_invoice"), "not allowed"
    return invoice


def transfer(session, account, amount):
    # ruleid: assert-used-for-access-control
    assert account.owner == session.user_id
    account.withdraw(amount)


def api_call(request):
    # ruleid: assert-used-for-access-control
    assert request.headers.get("X-Api-Token") == API_TOKEN
    return {"status": "ok"}


def dashboard(session):
    # ruleid: assert-used-for-access-control
    assert session.get("logged_in"), "login required"
    return "welcome"


def publish(user, article):
    # ruleid: assert-used-for-access-control
    assert (
        user.is_superuser or user.role in ("editor", "admin")
    ), "editors only"
    article.publish()


def delete_project_safe(user, project):
    # ok: assert-used-for-access-control
    if not user.is_admin:
        raise PermissionDenied("admins only")
    project.delete()


def test_totals():
    prices = [3, 4, 5]
    # ok: assert-used-for-access-control
    assert len(prices) == 3
    # ok: assert-used-for-access-control
    assert sum(prices) == 12, "unexpected total"


def normalize(rows):
    # ok: assert-used-for-access-control
    assert isinstance(rows, list)
    return [row.strip() for row in rows]
