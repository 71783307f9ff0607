import litellm
import openai
from openai import AsyncOpenAI, OpenAI

client = OpenAI()
aclient = AsyncOpenAI()
MODEL = "gpt-4o-mini"
LIMIT = 512
OPTIONS = {"temperature": 0, "max_tokens": 256}


def answer(question):
    # ruleid: llm-call-without-max-tokens
    reply = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": question}],
    )
    return reply.choices[0].message.content


def answer_limited(question):
    # ok: llm-call-without-max-tokens
    reply = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": question}],
        max_tokens=LIMIT,
    )
    return reply.choices[0].message.content


async def answer_async(question):
    # ruleid: llm-call-without-max-tokens
    reply = await aclient.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": question}], temperature=0)
    # ok: llm-call-without-max-tokens
    reply2 = await aclient.chat.completions.create(model="o3-mini", messages=[{"role": "user", "content": question}], max_completion_tokens=2000)
    return reply.choices[0].message.content + reply2.choices[0].message.content


def respond(question):
    # ruleid: llm-call-without-max-tokens
    out = client.responses.create(model="gpt-4.1", input=question)
    # ok: llm-call-without-max-tokens
    out2 = client.responses.create(model="gpt-4.1", input=question, max_output_tokens=800)
    return out.output_text + out2.output_text


def legacy(question):
    # ruleid: llm-call-without-max-tokens
    old = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[{"role": "user", "content": question}])
    # ruleid: llm-call-without-max-tokens
    lite = litellm.completion(model="claude-3-haiku", messages=[{"role": "user", "content": question}])
    # ok: llm-call-without-max-tokens
    lite2 = litellm.completion(model="claude-3-haiku", messages=[{"role": "user", "content": question}], max_tokens=300)
    return old, lite, lite2


def forwarded(question, **kwargs):
    # The limit may be in the forwarded options.
    # ok: llm-call-without-max-tokens
    return client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": question}], **OPTIONS)
