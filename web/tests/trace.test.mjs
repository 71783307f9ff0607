// Taint findings' data flow: the trace drawn in the editor (selected, hovered or under the cursor)
// and listed in the finding detail, where each step jumps to its code.
//
// Every assertion about trace steps needs the engine's taint mode (findings with `trace`); the
// pattern rules alone give the finding at line 10 without one.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, openApp, poll, setCode, shot, sleep } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

const CODE = `from flask import Flask, request
import os

app = Flask(__name__)

@app.route("/ping")
def ping():
    host = request.args.get("host")
    cmd = f"ping -c 1 {host}"
    os.system(cmd)
    return "ok"
`;
const LINES = CODE.split("\n");

// The same, with a pattern finding (no trace) after it.
const WITH_PATTERN = CODE + `\nimport tempfile\nscratch = tempfile.mktemp()\n`;

const editor = (page) => page.locator("[data-testid=editor] .cm-content");

/** Line numbers (1-based, sorted, distinct) of the trace highlights in the editor. */
function traceLines(page) {
  return editor(page).evaluate((c) => {
    const lines = [...c.children].filter((e) => e.classList.contains("cm-line"));
    const out = new Set();
    for (const el of c.querySelectorAll(".cm-pw-trace")) out.add(lines.indexOf(el.closest(".cm-line")) + 1);
    return [...out].sort((a, b) => a - b);
  });
}

/** The number badges of the trace highlights, in document order. */
function traceBadges(page) {
  return editor(page).evaluate((c) => [...c.querySelectorAll("[data-pw-step]")].map((e) => e.getAttribute("data-pw-step")));
}

/** The editor's line with the cursor, and how many selection rectangles lie on that line. */
function cursorLine(page) {
  return editor(page).evaluate((c) => {
    const lines = [...c.children].filter((e) => e.classList.contains("cm-line"));
    const active = c.querySelector(".cm-activeLine");
    const r = active ? active.getBoundingClientRect() : null;
    const sel = [...c.closest(".cm-editor").querySelectorAll(".cm-selectionBackground")].map((e) => e.getBoundingClientRect());
    return {
      line: active ? lines.indexOf(active) + 1 : null,
      text: active ? active.textContent : null,
      selectedOnLine: r ? sel.filter((s) => s.width > 1 && s.top < r.bottom - 2 && s.bottom > r.top + 2).length : 0,
      selected: sel.filter((s) => s.width > 1).length,
    };
  });
}

/** The finding row at line 10 with a data flow (or, before the engine has taint mode, any). */
async function sinkRow(page) {
  const atLine = page.locator('[data-testid=finding][data-line="10"]');
  await poll(() => atLine.count(), (n) => assert.ok(n >= 1, "a finding at line 10 (os.system)"));
  const withFlow = atLine.filter({ has: page.locator("[data-testid=flow-steps]") });
  return (await withFlow.count()) > 0 ? withFlow.first() : atLine.first();
}

/** The steps listed in the detail: number, line, label, kind. */
function listedSteps(page) {
  return page.locator("[data-testid=detail] [data-testid=trace] [data-testid=trace-step]").evaluateAll((els) =>
    els.map((e) => ({
      line: Number(e.dataset.line),
      kind: e.dataset.kind,
      n: e.querySelector(".step-n").textContent,
      label: e.querySelector(".step-label").textContent,
      tag: e.tagName.toLowerCase(),
    })),
  );
}

test("trace 1. a taint finding lists its data flow, highlights it, and each step jumps to its code", async (t) => {
  const { page, env } = await openApp(t, browser);
  await setCode(page, CODE);
  const row = await sinkRow(page);
  await row.click();
  await poll(() => row.getAttribute("aria-current"), (v) => assert.equal(v, "true"));
  const detail = page.locator("[data-testid=detail]");
  const title = await detail.locator("h2").innerText();

  // The detail lists the steps in order: source on line 8, the assignment on line 9, the sink.
  // (The screenshot is taken whatever the outcome, to show what the page drew.)
  const steps = await poll(
    () => listedSteps(page),
    (s) => assert.deepEqual(s.map((x) => x.line), [8, 8, 9, 10], `the detail lists the data flow at lines 8 (source, assignment), 9, 10: ${JSON.stringify(s)}`),
  ).finally(async () => {
    await sleep(150); // the editor draws the trace after the detail renders
    t.diagnostic(await shot(page, "trace.png"));
  });
  t.diagnostic(`steps: ${JSON.stringify(steps.map((s) => `${s.n}. line ${s.line}: ${s.label}`))}`);
  assert.deepEqual(steps.map((s) => s.n), ["1", "2", "3", "4"]);
  assert.match(steps[0].label, /^source/);
  assert.match(steps[3].label, /^sink/);
  assert.deepEqual(steps.map((s) => s.kind), ["source", "step", "step", "sink"]);
  assert.ok(steps.every((s) => s.tag === "button"), "every step is a button");
  assert.match(await detail.locator("h3", { hasText: "Data flow" }).innerText(), /^Data flow$/);
  assert.equal(await detail.locator("[data-testid=trace] *:not(button):not(span):not(li)").count(), 0, "labels are text, not markup");

  // The editor highlights every step, numbered.
  await poll(() => traceLines(page), (l) => assert.deepEqual(l, [8, 9, 10], "trace highlights on lines 8, 9 and 10"));
  // In document order the assignment's badge (`host = ...`) comes before the source's.
  assert.deepEqual((await traceBadges(page)).sort(), ["1", "2", "3", "4"]);

  // Clicking the first step selects its code on line 8; the finding stays selected.
  await detail.locator("[data-testid=trace-step]").first().click();
  await poll(
    () => cursorLine(page),
    (c) => {
      assert.equal(c.line, 8, `the cursor is on line 8: ${JSON.stringify(c)}`);
      assert.equal(c.text, LINES[7]);
      assert.ok(c.selected >= 1 && c.selectedOnLine === c.selected, `the selection is on line 8: ${JSON.stringify(c)}`);
    },
  );
  assert.equal(await detail.locator("h2").innerText(), title, "the detail still shows the finding");
  assert.deepEqual(await traceLines(page), [8, 9, 10], "its trace is still drawn");

  // The steps are keyboard reachable: Enter on the last one goes to the sink.
  await detail.locator("[data-testid=trace-step]").last().focus();
  await page.keyboard.press("Enter");
  await poll(() => cursorLine(page), (c) => assert.equal(c.line, 10, `the cursor is on line 10: ${JSON.stringify(c)}`));
  await env.assertClean();
});

test("trace 2. hovering a finding previews its trace; leaving restores the selected one's", async (t) => {
  const { page, env } = await openApp(t, browser);
  await setCode(page, WITH_PATTERN);
  const pattern = page.locator('[data-testid=finding][data-line="14"]');
  await pattern.waitFor({ timeout: 10_000 });
  const row = await sinkRow(page);
  const away = () => page.mouse.move(2, 2);
  await away();
  assert.deepEqual(await traceLines(page), [], "nothing selected: no trace");

  await row.hover();
  await poll(() => traceLines(page), (l) => assert.deepEqual(l, [8, 9, 10], "hovering the row draws its trace"));
  await away();
  await poll(() => traceLines(page), (l) => assert.deepEqual(l, [], "leaving the row removes it"));

  await row.click();
  await poll(() => traceLines(page), (l) => assert.deepEqual(l, [8, 9, 10], "selecting the finding draws its trace"));
  await pattern.hover();
  await poll(() => traceLines(page), (l) => assert.deepEqual(l, [], "a finding without a trace clears the highlight"));
  await away();
  await poll(() => traceLines(page), (l) => assert.deepEqual(l, [8, 9, 10], "leaving restores the selected finding's trace"));
  await env.assertClean();
});

test("trace 2b. moving the cursor into a finding selects it (and shows its trace, or none)", async (t) => {
  const { page, env } = await openApp(t, browser);
  await setCode(page, WITH_PATTERN);
  const pattern = page.locator('[data-testid=finding][data-line="14"]');
  await pattern.waitFor({ timeout: 10_000 });
  const detail = page.locator("[data-testid=detail]");
  const mark = (text) => page.locator("[data-testid=editor] .cm-content .cm-lintRange", { hasText: text });

  // The taint finding's range is the command passed to os.system.
  await mark("cmd").click();
  await poll(() => detail.locator(".detail-meta").innerText().catch(() => ""), (m) => assert.match(m, /line 10:15/, "the cursor selected the finding at line 10"));
  await mark("tempfile.mktemp()").click();
  await poll(() => pattern.getAttribute("aria-current"), (v) => assert.equal(v, "true", "the cursor selected the finding at line 14"));
  assert.equal(await detail.locator("[data-testid=trace]").count(), 0, "no data flow for a pattern finding");
  assert.deepEqual(await traceLines(page), []);
  // Outside every finding, the selection stays.
  // The pointer leaves the underline first: its hover tooltip may cover the line above.
  await page.mouse.move(0, 0);
  await page.locator(".cm-tooltip-hover").waitFor({ state: "detached", timeout: 3000 }).catch(() => {});
  await page.locator("[data-testid=editor] .cm-line", { hasText: "import tempfile" }).click();
  await sleep(200);
  assert.equal(await pattern.getAttribute("aria-current"), "true");

  await mark("cmd").click();
  await poll(() => detail.locator(".detail-meta").innerText(), (m) => assert.match(m, /line 10:15/));
  await poll(() => traceLines(page), (l) => assert.deepEqual(l, [8, 9, 10], "the sink's finding draws its trace"));
  await env.assertClean();
});

for (const [scheme, viewport, name] of [
  ["dark", { width: 1280, height: 720 }, "trace-dark.png"],
  ["light", { width: 390, height: 844 }, "trace-mobile.png"],
]) {
  test(`trace 3. screenshot ${name} (${scheme}, ${viewport.width}px)`, async (t) => {
    const { page, env } = await openApp(t, browser, { colorScheme: scheme, viewport });
    await setCode(page, CODE);
    const row = await sinkRow(page);
    await row.click();
    try {
      await poll(() => listedSteps(page), (s) => assert.equal(s.length, 4, "four steps listed"));
      await poll(() => traceLines(page), (l) => assert.deepEqual(l, [8, 9, 10]));
    } finally {
      t.diagnostic(await shot(page, name, { fullPage: viewport.width < 900 }));
    }
    if (viewport.width < 900) {
      await page.locator("[data-testid=trace]").scrollIntoViewIfNeeded();
      const o = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      assert.ok(o.scroll <= o.client, `no horizontal scroll at ${viewport.width}px: ${JSON.stringify(o)}`);
      const box = await page.locator("[data-testid=trace]").boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `the list fits the screen: ${JSON.stringify(box)}`);
    }
    // The step labels are readable: their colour differs clearly from the background.
    const label = page.locator("[data-testid=trace-step] .step-label").first();
    const [fg, bg] = await label.evaluate((e) => [getComputedStyle(e).color, getComputedStyle(e.closest(".detail")).backgroundColor]);
    assert.notEqual(fg, bg);
    await env.assertClean();
  });
}
