import sqlalchemy
from sqlalchemy import create_engine, select, text
from sqlalchemy.sql import text as sql_text
from sqlalchemy.sql.expression import text as expr_text

engine = create_engine("sqlite:///app.db")
users = sqlalchemy.table("users", sqlalchemy.column("id"), sqlalchemy.column("name"))


def find_user(name):
    with engine.connect() as conn:
        # ruleid: sql-injection-sqlalchemy-text
        return conn.execute(text(f"SELECT * FROM users WHERE name = '{name}'")).all()


def find_by_id(user_id):
    with engine.connect() as conn:
        # ruleid: sql-injection-sqlalchemy-text
        return conn.execute(sqlalchemy.text("SELECT * FROM users WHERE id = %s" % user_id)).first()


def list_table(table):
    # ruleid: sql-injection-sqlalchemy-text
    return sql_text("SELECT * FROM {} LIMIT 10".format(table))


def sorted_users(column):
    # ruleid: sql-injection-sqlalchemy-text
    return expr_text("SELECT * FROM users ORDER BY " + column)


def search(filters):
    # ruleid: sql-injection-sqlalchemy-text
    return text(" AND ".join(filters))


def update_email(user_id, email):
    # ruleid: sql-injection-sqlalchemy-text
    stmt = text(
        f"UPDATE users SET email = '{email}' WHERE id = {user_id}"
    )
    with engine.begin() as conn:
        conn.execute(stmt)


def delete_user(name):
    query = "DELETE FROM users WHERE name = '" + name + "'"
    with engine.begin() as conn:
        # ruleid: sql-injection-sqlalchemy-text
        conn.execute(text(query))


def find_user_safe(name):
    with engine.connect() as conn:
        # ok: sql-injection-sqlalchemy-text
        stmt = text("SELECT * FROM users WHERE name = :name")
        return conn.execute(stmt, {"name": name}).all()


def find_by_id_safe(user_id):
    # ok: sql-injection-sqlalchemy-text
    return sqlalchemy.text("SELECT * FROM users WHERE id = :id").bindparams(id=user_id)


def count_users():
    # ok: sql-injection-sqlalchemy-text
    return sql_text("SELECT count(*) FROM users")


def find_user_core(name):
    # ok: sql-injection-sqlalchemy-text
    return select(users).where(users.c.name == name)
