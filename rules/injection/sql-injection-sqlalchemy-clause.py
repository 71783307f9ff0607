from sqlalchemy import desc, select, text
from sqlalchemy.orm import Session


def search(session: Session, name, sort):
    # ruleid: sql-injection-sqlalchemy-clause
    users = session.query(User).filter(f"name = '{name}'").all()
    # ruleid: sql-injection-sqlalchemy-clause
    ordered = session.query(User).order_by("%s DESC" % sort).limit(10).all()
    return users, ordered


def report(group):
    # ruleid: sql-injection-sqlalchemy-clause
    return User.query.group_by("{}".format(group)).all()


def recent(session: Session, minimum):
    stmt = select(Order)
    # ruleid: sql-injection-sqlalchemy-clause
    stmt = select(Order).having("count(*) > " + minimum)
    return session.execute(stmt)


def search_safe(session: Session, name):
    # ok: sql-injection-sqlalchemy-clause
    return session.query(User).filter(User.name == name).all()


def sorted_safe(session: Session, column):
    # ok: sql-injection-sqlalchemy-clause
    return session.query(User).order_by(desc(SORTABLE[column])).all()


def bound_safe(session: Session, name):
    # ok: sql-injection-sqlalchemy-clause
    return session.query(User).filter(text("name = :name")).params(name=name).all()


def django_sorted(request, field):
    # ok: sql-injection-sqlalchemy-clause
    return Article.objects.filter(published=True).order_by(f"-{field}")


class User:
    query = None
    name = None


class Order:
    pass


class Article:
    objects = None


SORTABLE = {}
