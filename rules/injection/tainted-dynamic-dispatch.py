import json

import anthropic
from flask import Flask, abort, request
from openai import OpenAI

import tools
import tools as toolbox

app = Flask(__name__)
client = OpenAI()
claude = anthropic.Anthropic()

TOOLS = {"get_weather": tools.get_weather, "search_docs": tools.search_docs}
ALLOWED_TOOLS = {"get_weather", "search_docs"}


def run_agent_step(messages, specs):
    reply = client.chat.completions.create(model="gpt-4o", messages=messages, tools=specs)
    call = reply.choices[0].message.tool_calls[0]
    args = json.loads(call.function.arguments)
    # ruleid: tainted-dynamic-dispatch
    return getattr(tools, call.function.name)(**args)


def run_agent_step_checked(messages, specs):
    reply = client.chat.completions.create(model="gpt-4o", messages=messages, tools=specs)
    call = reply.choices[0].message.tool_calls[0]
    args = json.loads(call.function.arguments)
    tool_name = call.function.name
    if tool_name not in ALLOWED_TOOLS:
        raise ValueError("unknown tool")
    # ok: tainted-dynamic-dispatch
    return getattr(tools, tool_name)(**args)


def run_registry(messages, specs):
    reply = client.chat.completions.create(model="gpt-4o", messages=messages, tools=specs)
    name = reply.choices[0].message.tool_calls[0].function.name
    # ruleid: tainted-dynamic-dispatch
    return TOOLS[name]()


def run_registry_checked(messages, specs):
    reply = client.chat.completions.create(model="gpt-4o", messages=messages, tools=specs)
    name = reply.choices[0].message.tool_calls[0].function.name
    if name in TOOLS:
        # ok: tainted-dynamic-dispatch
        return TOOLS[name]()
    return None


def run_claude_tool(messages):
    response = claude.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=messages)
    for block in response.content:
        if block.type == "tool_use":
            # ruleid: tainted-dynamic-dispatch
            handler = globals()[block.name]
            return handler(**block.input)
    return None


def run_text_command(prompt):
    answer = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])
    command = answer.choices[0].message.content.strip()
    # ruleid: tainted-dynamic-dispatch
    return getattr(toolbox, command)()


@app.route("/action/<name>")
def action(name):
    # ruleid: tainted-dynamic-dispatch
    return getattr(tools, name)(request.args)


@app.route("/action-checked/<name>")
def action_checked(name):
    if name not in ALLOWED_TOOLS:
        abort(404)
    # ok: tainted-dynamic-dispatch
    return getattr(tools, name)(request.args)


def fixed_dispatch(payload):
    # ok: tainted-dynamic-dispatch
    return getattr(tools, "get_weather")(payload)


def configured_dispatch(settings):
    # ok: tainted-dynamic-dispatch
    return TOOLS[settings.default_tool]()


def forward_view(request):
    target = request.GET.get("next_view")
    # ruleid: tainted-dynamic-dispatch
    view = globals().get(target)
    if view:
        return view(request)
    return None


VIEWS = {"home": fixed_dispatch}


def forward_view_safe(request):
    target = request.GET.get("next_view")
    if target not in VIEWS:
        return None
    # ok: tainted-dynamic-dispatch
    return VIEWS[target](request)


def run_registry_get(messages, specs):
    reply = client.chat.completions.create(model="gpt-4o", messages=messages, tools=specs)
    for call in reply.choices[0].message.tool_calls:
        # ok: tainted-dynamic-dispatch
        handler = TOOLS.get(call.function.name)
        if handler is None:
            continue
        return handler()
    return None
