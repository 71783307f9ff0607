import anthropic
from openai import OpenAI

client = OpenAI()
claude = anthropic.Anthropic()
MAX_STEPS = 8


def run_tools(reply):
    return {"role": "tool", "content": "done"}


def agent(history):
    while True:
        # ruleid: llm-call-in-unbounded-loop
        reply = client.chat.completions.create(model="gpt-4o", messages=history, max_tokens=500)
        if reply.choices[0].finish_reason == "stop":
            break
        history.append(run_tools(reply))
    return history


def claude_agent(messages):
    done = False
    while not done:
        # ruleid: llm-call-in-unbounded-loop
        msg = claude.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=messages)
        done = msg.stop_reason == "end_turn"
        messages.append({"role": "assistant", "content": msg.content})
    return messages


def retry_until_json(prompt):
    while True:
        try:
            # ruleid: llm-call-in-unbounded-loop
            out = client.responses.create(model="gpt-4.1", input=prompt, max_output_tokens=300)
            return out.output_text
        except ValueError:
            continue


def bounded_for(history):
    for _ in range(MAX_STEPS):
        # ok: llm-call-in-unbounded-loop
        reply = client.chat.completions.create(model="gpt-4o", messages=history, max_tokens=500)
        if reply.choices[0].finish_reason == "stop":
            break
        history.append(run_tools(reply))
    return history


def bounded_while(history):
    steps = 0
    while steps < MAX_STEPS:
        # ok: llm-call-in-unbounded-loop
        reply = client.chat.completions.create(model="gpt-4o", messages=history, max_tokens=500)
        steps += 1
        if reply.choices[0].finish_reason == "stop":
            break
    return history


def bounded_counter(messages):
    steps = 0
    while True:
        steps += 1
        if steps > MAX_STEPS:
            raise RuntimeError("agent did not finish")
        # ok: llm-call-in-unbounded-loop
        msg = claude.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=messages)
        if msg.stop_reason == "end_turn":
            return msg


def single_call(question):
    # ok: llm-call-in-unbounded-loop
    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}], max_tokens=200)
