import os

from faker import Faker

fake = Faker()

# ruleid: hardcoded-pii
CARD = "4556 7375 8689 9855"

# ok: hardcoded-pii
CARD_TOKEN = os.environ.get("TEST_CARD_TOKEN", "tok_visa")

# ok: hardcoded-pii
CARD_TYPO = "4556 7375 8689 9856"

# ok: hardcoded-pii
MASKED_CARD = "**** **** **** 9855"

TEST_CUSTOMER = {
    "name": "Alice Example",
    # ruleid: hardcoded-pii
    "card_number": "5555-5555-5555-4444",
    # ruleid: hardcoded-pii
    "ssn": "536-22-8741",
}

FAKE_CUSTOMER = {
    "name": fake.name(),
    # ok: hardcoded-pii
    "ssn": fake.ssn(),
    # ok: hardcoded-pii
    "invalid_ssn": "666-12-3456",
}

# ruleid: hardcoded-pii
PAYOUT_IBAN = "GB82 WEST 1234 5698 7654 32"

# ok: hardcoded-pii
ORDER_ID = "ORD-2024-000123456789"

# ok: hardcoded-pii
PHONE = "555-123-4567"

# ok: hardcoded-pii
TIMESTAMP_MS = "1700000000000000"

# ruleid: hardcoded-pii
COMBO = "alice@example.com:Winter2024!"

LOGIN_FIXTURE = {
    # ruleid: hardcoded-pii
    "email": "bob@corp.example",
    "password": "hunter2hunter2",
}

LOGIN_FROM_ENV = {
    # ok: hardcoded-pii
    "email": "bob@corp.example",
    "password": os.environ["TEST_PASSWORD"],
}


def describe():
    """Card numbers such as 4556 7375 8689 9855 are masked before display."""
    # ok: hardcoded-pii
    return "see the docstring"


def charge(gateway):
    # ruleid: hardcoded-pii
    return gateway.charge(card="378282246310005", amount=100)
