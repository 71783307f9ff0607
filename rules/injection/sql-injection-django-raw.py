from django.db import models
from django.db.models.expressions import RawSQL


class Person(models.Model):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    age = models.IntegerField()


def by_last_name(name):
    # ruleid: sql-injection-django-raw
    return Person.objects.raw(f"SELECT * FROM app_person WHERE last_name = '{name}'")


def older_than(min_age):
    # ruleid: sql-injection-django-raw
    return list(Person.objects.raw("SELECT * FROM app_person WHERE age > %s" % min_age))


def sorted_people(column):
    sql = "SELECT * FROM app_person ORDER BY " + column
    # ruleid: sql-injection-django-raw
    return Person.objects.raw(sql)


def filter_where(first_name):
    # ruleid: sql-injection-django-raw
    return Person.objects.filter(age__gte=18).extra(where=["first_name = '%s'" % first_name])


def with_flag(min_age):
    # ruleid: sql-injection-django-raw
    return Person.objects.extra(
        select={"is_senior": "age > {}".format(min_age)},
    )


def annotate_rank(name):
    return Person.objects.annotate(
        # ruleid: sql-injection-django-raw
        rank=RawSQL("SELECT count(*) FROM app_person WHERE last_name < '" + name + "'", []),
    )


def by_last_name_safe(name):
    # ok: sql-injection-django-raw
    return Person.objects.raw("SELECT * FROM app_person WHERE last_name = %s", [name])


def filter_where_safe(first_name):
    # ok: sql-injection-django-raw
    return Person.objects.extra(where=["first_name = %s"], params=[first_name])


def annotate_rank_safe(name):
    return Person.objects.annotate(
        # ok: sql-injection-django-raw
        rank=RawSQL("SELECT count(*) FROM app_person WHERE last_name < %s", (name,)),
    )


def older_than_orm(min_age):
    # ok: sql-injection-django-raw
    return Person.objects.filter(age__gt=min_age)
