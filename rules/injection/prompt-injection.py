import anthropic
import openai
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, abort, jsonify, request
from openai import OpenAI

app = Flask(__name__)
api = FastAPI()
client = OpenAI()
claude = anthropic.Anthropic()

SYSTEM_PROMPT = "You are the support assistant of Example Inc. Only discuss Example products."
LANGUAGES = {"English", "French", "German"}
PERSONAS = {"support": "a friendly support agent", "sales": "a concise sales assistant"}


# ---- OpenAI chat completions ------------------------------------------------------


@app.route("/chat", methods=["POST"])
def chat():
    persona = request.json["persona"]
    reply = client.chat.completions.create(
        model="gpt-4o",
        messages=[
            # ruleid: prompt-injection
            {"role": "system", "content": f"You are {persona}. Only discuss Example products."},
            # The user's question in the user turn: the intended use.
            # ok: prompt-injection
            {"role": "user", "content": request.json["question"]},
        ],
    )
    return jsonify(answer=reply.choices[0].message.content)


@app.route("/chat/persona", methods=["POST"])
def chat_persona():
    persona = PERSONAS.get(request.json["persona"], PERSONAS["support"])
    question = request.json["question"]
    reply = client.chat.completions.create(
        model="gpt-4o",
        messages=[
            # ok: prompt-injection
            {"role": "system", "content": SYSTEM_PROMPT},
            # A template around the data, still in the user turn.
            # ok: prompt-injection
            {"role": "user", "content": f"Answer this customer question briefly:\n\n{question}"},
        ],
    )
    return jsonify(answer=reply.choices[0].message.content)


@app.route("/translate", methods=["POST"])
def translate():
    language = request.form["language"]
    text = request.form["text"]
    if language not in LANGUAGES:
        abort(400)
    messages = [
        # ok: prompt-injection
        {"role": "system", "content": "Translate the user's text into " + language + "."},
        {"role": "user", "content": text},
    ]
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=messages)
    return jsonify(text=reply.choices[0].message.content)


@app.route("/summarize", methods=["POST"])
def summarize():
    style = request.form.get("style", "neutral")
    history = []
    # ruleid: prompt-injection
    history.append({"role": "developer", "content": "Summarise in a " + style + " style."})
    history.append({"role": "user", "content": request.form["text"]})
    reply = client.chat.completions.create(model="o3-mini", messages=history)
    return jsonify(summary=reply.choices[0].message.content)


# Passed through a helper function of the same file.
def system_prompt(company, tone):
    return f"You write replies for {company}. Use a {tone} tone. Never promise refunds."


@app.route("/reply", methods=["POST"])
def draft_reply():
    prompt = system_prompt("Example Inc.", request.form["tone"])
    reply = client.chat.completions.create(
        model="gpt-4o",
        # ruleid: prompt-injection
        messages=[{"role": "system", "content": prompt}, {"role": "user", "content": request.form["mail"]}],
    )
    return jsonify(draft=reply.choices[0].message.content)


@app.route("/reply/fixed", methods=["POST"])
def draft_reply_fixed():
    tone = request.form.get("tone", "friendly")
    # Overwritten with a constant.
    tone = "friendly"
    reply = client.chat.completions.create(
        model="gpt-4o",
        # ok: prompt-injection
        messages=[{"role": "system", "content": system_prompt("Example Inc.", tone)}],
    )
    return jsonify(draft=reply.choices[0].message.content)


@app.route("/reply/debug", methods=["POST"])
def draft_reply_debug():
    extra = ""
    if False:
        extra = request.form["extra_rules"]
    reply = client.chat.completions.create(
        model="gpt-4o",
        # ok: prompt-injection
        messages=[{"role": "system", "content": SYSTEM_PROMPT + extra}],
    )
    return jsonify(draft=reply.choices[0].message.content)


@app.route("/quiz", methods=["POST"])
def quiz():
    # Moved through a dict, then an f-string.
    settings = {"topic": request.json["topic"], "count": 5}
    instructions = f"Write {settings['count']} quiz questions about {settings['topic']}."
    reply = client.chat.completions.create(
        model="gpt-4o",
        # ruleid: prompt-injection
        messages=[{"role": "system", "content": instructions}],
    )
    return jsonify(quiz=reply.choices[0].message.content)


@app.route("/persona", methods=["POST"])
def persona_chat():
    # A call as the content of a dict built outside any call (once a known miss, a
    # `todoruleid`).
    # ruleid: prompt-injection
    messages = [{"role": "system", "content": request.json.get("persona", SYSTEM_PROMPT)}]
    messages.append({"role": "user", "content": request.json["question"]})
    reply = client.chat.completions.create(model="gpt-4o", messages=messages)
    return jsonify(answer=reply.choices[0].message.content)


@app.route("/limit", methods=["POST"])
def limited():
    words = int(request.form["words"])
    reply = client.chat.completions.create(
        model="gpt-4o",
        # ok: prompt-injection
        messages=[{"role": "system", "content": f"Answer in at most {words} words."}],
    )
    return jsonify(answer=reply.choices[0].message.content)


# ---- OpenAI Responses and legacy completions --------------------------------------


@app.route("/assistant", methods=["POST"])
def assistant():
    response = client.responses.create(
        model="gpt-4.1",
        # ruleid: prompt-injection
        instructions=request.form.get("instructions", SYSTEM_PROMPT),
        # ok: prompt-injection
        input=request.form["question"],
    )
    return jsonify(answer=response.output_text)


@app.route("/complete", methods=["POST"])
def complete():
    product = request.form["product"]
    # ruleid: prompt-injection
    completion = openai.Completion.create(model="gpt-3.5-turbo-instruct", prompt=f"Write an ad for {product}:\n")
    return jsonify(ad=completion.choices[0].text)


# ---- Anthropic ----------------------------------------------------------------------


@api.post("/claude/{team}")
def ask_claude(team: str, question: str):
    message = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        # ruleid: prompt-injection
        system=f"You are the assistant of the {team} team.",
        # ok: prompt-injection
        messages=[{"role": "user", "content": question}],
    )
    return {"answer": message.content[0].text}


@api.post("/claude")
def ask_claude_safe(question: str):
    message = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=1024,
        # ok: prompt-injection
        system=SYSTEM_PROMPT,
        messages=[{"role": "user", "content": question}],
    )
    return {"answer": message.content[0].text}


def django_chat(request):
    rules = request.POST["rules"]
    message = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=512,
        # ruleid: prompt-injection
        system=[{"type": "text", "text": SYSTEM_PROMPT}, {"type": "text", "text": rules}],
        messages=[{"role": "user", "content": request.POST["question"]}],
    )
    return JsonResponse({"answer": message.content[0].text})


# ---- LangChain and Gemini ---------------------------------------------------------------

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.prompts import ChatPromptTemplate, PromptTemplate
import google.generativeai as genai
from google.genai import types


@app.route("/lc/persona", methods=["POST"])
def langchain_persona():
    persona = request.json["persona"]
    prompt = ChatPromptTemplate.from_messages([
        # ruleid: prompt-injection
        ("system", f"You are {persona}."),
        # ok: prompt-injection
        ("human", "{question}"),
    ])
    # ruleid: prompt-injection
    msgs = [SystemMessage(content="Rules: " + request.json["rules"]), HumanMessage(content=request.json["q"])]
    # ok: prompt-injection
    fixed = [SystemMessage(content=SYSTEM_PROMPT), HumanMessage(content=request.json["q"])]
    # ruleid: prompt-injection
    template = PromptTemplate.from_template(request.json["template"])
    return jsonify(p=str(prompt), m=str(msgs), f=str(fixed), t=str(template))


@app.route("/gemini", methods=["POST"])
def gemini():
    # ruleid: prompt-injection
    model = genai.GenerativeModel("gemini-1.5-flash", system_instruction=request.form["style"])
    # ok: prompt-injection
    model2 = genai.GenerativeModel("gemini-1.5-flash", system_instruction=SYSTEM_PROMPT)
    # ruleid: prompt-injection
    config = types.GenerateContentConfig(system_instruction=f"Answer as {request.form['role']}", max_output_tokens=300)
    return jsonify(a=model.generate_content(request.form["q"]).text, b=model2.generate_content(request.form["q"]).text, c=str(config))
