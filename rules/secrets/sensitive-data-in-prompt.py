import os
import sqlite3

import anthropic
from django.conf import settings
from django.forms.models import model_to_dict
from langchain_core.messages import HumanMessage
from langchain_openai import ChatOpenAI
from openai import OpenAI

from .models import Customer, User

client = OpenAI()
claude = anthropic.Anthropic()
llm = ChatOpenAI(model="gpt-4o-mini")
db = sqlite3.connect("app.db")
PASSWORD_POLICY = "Passwords need 12 characters, one digit and one symbol."


def welcome_mail(user_id):
    user = User.objects.get(pk=user_id)
    return client.chat.completions.create(
        model="gpt-4o",
        max_tokens=300,
        messages=[
            # ruleid: sensitive-data-in-prompt
            {"role": "user", "content": f"Write a welcome mail for {user.first_name}, password {user.password}"},
        ],
    )


def welcome_mail_safe(user_id):
    user = User.objects.get(pk=user_id)
    return client.chat.completions.create(
        model="gpt-4o",
        max_tokens=300,
        # ok: sensitive-data-in-prompt
        messages=[{"role": "user", "content": f"Write a welcome mail for {user.first_name}"}],
    )


def debug_assistant(error_text):
    return claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=500,
        # ruleid: sensitive-data-in-prompt
        system=f"You help debug our service. Its API key is {os.environ['STRIPE_API_KEY']}.",
        messages=[{"role": "user", "content": error_text}],
    )


def debug_with_settings(error_text):
    context = "Django SECRET_KEY: " + settings.SECRET_KEY
    return client.chat.completions.create(
        model="gpt-4o",
        max_tokens=500,
        messages=[
            # ruleid: sensitive-data-in-prompt
            {"role": "system", "content": context},
            {"role": "user", "content": error_text},
        ],
    )


def password_help(question):
    return client.chat.completions.create(
        model="gpt-4o",
        max_tokens=200,
        messages=[
            # A constant about passwords is not a password.
            # ok: sensitive-data-in-prompt
            {"role": "system", "content": PASSWORD_POLICY},
            # ok: sensitive-data-in-prompt
            {"role": "user", "content": question},
        ],
    )


def fraud_check(card_number, amount):
    # ruleid: sensitive-data-in-prompt
    return llm.invoke(f"Is a payment of {amount} with card {card_number} suspicious?")


def fraud_check_masked(card_last4, amount):
    # ok: sensitive-data-in-prompt
    return llm.invoke(f"Is a payment of {amount} with a card ending {card_last4} suspicious?")


def customer_summary(customer_id):
    customer = Customer.objects.get(pk=customer_id)
    # ruleid: sensitive-data-in-prompt
    return llm.invoke([HumanMessage(content=f"Summarise this customer: {model_to_dict(customer)}")])


def customer_summary_fields(customer_id):
    customer = Customer.objects.get(pk=customer_id)
    # ok: sensitive-data-in-prompt
    return llm.invoke([HumanMessage(content=f"Summarise this customer: {customer.company}, {customer.plan}")])


def churn_report():
    rows = db.execute("SELECT * FROM customers").fetchall()
    return client.responses.create(
        model="gpt-4.1",
        max_output_tokens=1000,
        # ruleid: sensitive-data-in-prompt
        input=f"Which of these customers may churn? {rows}",
    )


def churn_report_columns():
    rows = db.execute("SELECT plan, last_login FROM customers").fetchall()
    return client.responses.create(
        model="gpt-4.1",
        max_output_tokens=1000,
        # ok: sensitive-data-in-prompt
        input=f"Which of these usage patterns suggest churn? {rows}",
    )


def db_helper(question):
    db_password = os.getenv("DB_PASSWORD")
    return client.chat.completions.create(
        model="gpt-4o",
        max_tokens=200,
        # ruleid: sensitive-data-in-prompt
        messages=[{"role": "user", "content": f"Connect with password {db_password} and answer: {question}"}],
    )


def token_budget(question, max_tokens=200):
    # ok: sensitive-data-in-prompt
    return llm.invoke(f"Answer in under {max_tokens} tokens: {question}")


def card_hint(card_number, password):
    last4 = card_number[-4:]
    # ok: sensitive-data-in-prompt
    return llm.invoke(f"Remind the user that their card ends in {last4} and their password has {len(password)} characters.")
