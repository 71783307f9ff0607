from django.db.models import Aggregate, CharField, Func, Subquery, Value
from django.db.models.functions import Cast


# ruleid: django-expression-template-placeholder
class Position(Func):
    function = "POSITION"
    template = "%(function)s('%(substring)s' IN %(expressions)s)"

    def __init__(self, expression, substring):
        super().__init__(expression, substring=substring)


# ruleid: django-expression-template-placeholder
class DateFormat(Func):
    function = "DATE_FORMAT"
    template = '%(function)s(%(expressions)s, "%(format)s")'

    def __init__(self, *expressions, **extra):
        extra["output_field"] = CharField()
        super().__init__(*expressions, **extra)


# ruleid: django-expression-template-placeholder
class GroupConcat(Aggregate):
    function = "GROUP_CONCAT"
    template = "%(function)s(%(distinct)s%(expressions)s SEPARATOR '%(separator)s')"


# ok: django-expression-template-placeholder
class Lower(Func):
    function = "LOWER"
    template = "%(function)s(%(expressions)s)"


# ok: django-expression-template-placeholder
class Count(Aggregate):
    function = "COUNT"
    template = "%(function)s(%(distinct)s%(expressions)s)"


# ok: django-expression-template-placeholder
class SubqueryCount(Subquery):
    template = "(SELECT count(*) FROM (%(subquery)s) _count)"


# ok: django-expression-template-placeholder
class PositionSafe(Func):
    function = "POSITION"
    arg_joiner = " IN "

    def __init__(self, expression, substring):
        super().__init__(Value(substring), expression)


# ok: django-expression-template-placeholder
class Label(CharField):
    template = "%(name)s"
