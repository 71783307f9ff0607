# exercises: flows across files: modules importing each other (the summaries are iterated a bounded number of rounds and the scan ends)
from app import cycle_b


def relay(value, hops):
    if hops > 0:
        return cycle_b.bounce(value, hops - 1)
    return value
