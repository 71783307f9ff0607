# exercises: flows across files: the other half of the import cycle
from app.cycle_a import relay


def bounce(value, hops):
    return relay(value, hops)
