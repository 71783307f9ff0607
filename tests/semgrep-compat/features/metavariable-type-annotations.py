from typing import List, Optional

from sqlalchemy.orm import Session


def handler(name: str, count: int, label: Optional[str], tag: "str", maybe: str | None, anything):
    # ruleid: annotated-str
    run(name)
    # ok: annotated-str
    run(count)
    # ruleid: annotated-str
    run(label)
    # ruleid: annotated-str
    run(tag)
    # ruleid: annotated-str
    run(maybe)
    # ok: annotated-str
    run(anything)


def assigned():
    title: str = make_title()
    # ruleid: annotated-str
    run(title)
    total: int = compute()
    # ok: annotated-str
    run(total)


def queries(db: Session, other, items: list[str], names: List[str], seen: set):
    # ruleid: typed-session
    db.execute("SELECT 1")
    # ok: typed-session
    other.execute("SELECT 1")
    # ruleid: typed-list
    items.append("a")
    # ok: typed-list
    seen.append("b")


def shadowed(name: str):
    def inner(name):
        # ok: annotated-str
        run(name)

    return inner
