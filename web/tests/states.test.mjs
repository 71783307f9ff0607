// Status states (empty, clean), settings (persisted) and the severity filter buttons.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { collectUnderlines, count, launch, loadExample, openApp, poll, ruleCatalog, rows, setCode, shot, status } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test("3a. a fresh page opens the first example; an empty editor gives NO_ACTIONABLE_INPUT with a hint", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  assert.equal(await page.locator("[data-testid=finding]").count(), 11, "the Flask example is loaded first");

  await setCode(page, "");
  const s = await poll(() => status(page), (s) => assert.match(s, /NO_ACTIONABLE_INPUT/));
  assert.match(s, /Nothing to analyse yet/);
  const hint = await page.locator("[data-testid=status] .hint").first().innerText();
  assert.match(hint, /Type or paste Python code/);
  assert.equal(await page.locator("[data-testid=finding]").count(), 0);
  assert.equal(await page.locator("[data-testid=editor] .cm-content .cm-lintRange").count(), 0, "no underlines left");
  assert.equal(await page.locator("[data-testid=editor] .cm-lint-marker").count(), 0, "no gutter markers left");
  for (const sev of ["critical", "high", "medium", "low"]) assert.equal(await count(page, sev), 0, sev);
  assert.match(await page.locator("[data-testid=analysis-info]").innerText(), /analysed in/);
  await env.assertClean();
});

test("3b. clean_app gives NO_SECURITY_ISSUES with the categories checked and no rows", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  await loadExample(page, "clean_app");
  await poll(() => status(page), (s) => assert.match(s, /NO_SECURITY_ISSUES/));
  assert.match(await status(page), /No security issues found/);
  const cats = await page.locator("[data-testid=categories] li").allInnerTexts();
  assert.ok(cats.length >= 5, `categories listed: ${JSON.stringify(cats)}`);
  assert.ok(cats.every((c) => c.trim().length > 0));
  assert.ok(cats.some((c) => /Injection/.test(c)), JSON.stringify(cats));
  assert.match(await status(page), new RegExp(`Categories checked \\(${cats.length}\\)`));
  assert.equal(await page.locator("[data-testid=finding]").count(), 0);
  assert.equal(await page.locator("[data-testid=editor] .cm-content .cm-lintRange").count(), 0);
  for (const sev of ["critical", "high", "medium", "low"]) assert.equal(await count(page, sev), 0, sev);
  // The menu goes back to its placeholder so the same example can be chosen again.
  assert.equal(await page.locator("[data-testid=examples]").inputValue(), "");
  await env.assertClean();
});

test("10. settings: minimum severity persists across reloads; disabling a family hides its rules", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  const toggle = page.locator("[data-testid=settings-toggle]");
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  await toggle.click();
  await page.locator("[data-testid=settings]").waitFor();
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  assert.deepEqual(
    await page.locator("[data-testid=min-severity] option").evaluateAll((o) => o.map((x) => x.value)),
    ["low", "medium", "high", "critical"],
  );
  assert.ok((await page.locator("[data-testid=min-confidence] option").count()) >= 2);
  assert.ok(await page.locator("input[data-family=injection]").isChecked());

  await page.selectOption("[data-testid=min-severity]", "high");
  await poll(() => rows(page), (r) => {
    assert.equal(r.length, 7);
    assert.deepEqual(r.filter((x) => x.severity !== "high" && x.severity !== "critical"), []);
  });

  await page.reload();
  await page.locator("[data-testid=finding]").first().waitFor();
  const r = await poll(() => rows(page), (r) => assert.equal(r.length, 7));
  assert.deepEqual(r.filter((x) => x.severity === "medium" || x.severity === "low"), [], "still no medium/low rows after reload");
  await page.locator("[data-testid=settings-toggle]").click();
  assert.equal(await page.locator("[data-testid=min-severity]").inputValue(), "high", "the select shows the stored value");
  const stored = await page.evaluate(() => Object.entries(localStorage));
  assert.ok(stored.some(([, v]) => /"high"/i.test(v)), `stored in localStorage: ${JSON.stringify(stored)}`);

  // Disable the injection family.
  const injection = new Set(ruleCatalog().filter((x) => x.family === "injection").map((x) => x.id));
  assert.ok(injection.has("sql-injection-format"));
  assert.ok(r.some((x) => injection.has(x.rule)), "injection rows before");
  await page.locator("input[data-family=injection]").uncheck();
  const r2 = await poll(() => rows(page), (r) => {
    assert.deepEqual(r.filter((x) => injection.has(x.rule)), [], "no injection rows");
    assert.equal(r.length, 4);
  });
  assert.deepEqual(r2.map((x) => x.rule).sort(), ["flask-debug-enabled", "framework-secret-key-literal", "reflected-xss", "server-side-template-injection"]);
  assert.equal(await page.locator("input[data-family=injection]").isChecked(), false);
  await env.assertClean();
});

test("10b. settings list every family the engine has: unticking Web request handling hides an open redirect", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  await setCode(page, "from flask import redirect, request\n\ndef login():\n    return redirect(request.args.get('next'))\n");
  await poll(() => rows(page), (r) => assert.deepEqual(r.map((x) => x.rule), ["open-redirect"]));
  await page.locator("[data-testid=settings-toggle]").click();
  const families = await page.locator("input[data-family]").evaluateAll((els) => els.map((e) => e.dataset.family));
  const engine = [...new Set(ruleCatalog().map((x) => x.family).filter(Boolean))];
  assert.deepEqual(engine.filter((f) => !families.includes(f)), [], `every family of a built-in rule is offered: ${families}`);
  const web = page.getByLabel(/Web request handling/);
  assert.ok(await web.isChecked());
  await web.uncheck();
  await poll(() => rows(page), (r) => assert.deepEqual(r, []));
  // Hidden, not clean: the status counts what the settings hide (see share.test.mjs 4f).
  await poll(() => status(page), (s) => assert.match(s, /FINDINGS_HIDDEN.*1 finding hidden by your filters/s));
  assert.doesNotMatch(await status(page), /NO_SECURITY_ISSUES/);
  await web.check();
  await poll(() => rows(page), (r) => assert.deepEqual(r.map((x) => x.rule), ["open-redirect"]));
  await env.assertClean();
});

test("10c. the opt-in naming policy is off by default; ticking it shows a naming finding with the renamed identifier as its fix", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  await setCode(page, "def get_user(user_id):\n    return user_id\n");
  await poll(() => status(page), (s) => assert.match(s, /NO_SECURITY_ISSUES/));
  assert.doesNotMatch(await status(page), /hidden/, "an opt-in family that is off hides nothing");
  await page.locator("[data-testid=settings-toggle]").click();
  const naming = page.getByLabel(/Naming policy/);
  assert.equal(await naming.getAttribute("data-opt-in"), "true");
  assert.equal(await naming.isChecked(), false, "off by default");
  await naming.check();
  await poll(() => rows(page), (r) => assert.deepEqual(r.map((x) => x.rule), ["naming-function-name"]));
  await page.locator("[data-testid=finding]").first().click();
  const detail = page.locator("[data-testid=detail]");
  await poll(() => detail.innerText(), (d) => assert.match(d, /guideline/));
  assert.match(await detail.innerText(), /func_getUser/, "the fix shows the renamed identifier");
  await shot(page, "settings-naming-on.png");
  // Remembered like the other families, and off again when unticked.
  await page.reload();
  await poll(() => rows(page), (r) => assert.deepEqual(r.map((x) => x.rule), ["naming-function-name"]));
  await page.locator("[data-testid=settings-toggle]").click();
  await page.getByLabel(/Naming policy/).uncheck();
  await poll(() => status(page), (s) => assert.match(s, /NO_SECURITY_ISSUES/));
  await env.assertClean();
});

test("11. severity filter: the critical count button hides and shows critical rows", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  const button = page.locator("[data-testid=count-critical]").locator("xpath=..");
  assert.equal(await button.evaluate((b) => b.tagName), "BUTTON");
  assert.equal(await button.getAttribute("aria-pressed"), "true");
  const critical = page.locator("[data-testid=finding][data-severity=critical]");
  assert.equal(await critical.count(), 4);

  await button.click();
  await poll(() => critical.count(), (n) => assert.equal(n, 0));
  assert.equal(await button.getAttribute("aria-pressed"), "false");
  assert.equal(await page.locator("[data-testid=finding]").count(), 7, "the high, medium and low rows stay");
  assert.equal(await page.locator("[data-testid=count-critical]").innerText(), "4", "the count still shows the total");
  assert.match(await page.locator(".findings").innerText(), /4 finding\(s\) hidden by the severity filters/);
  // Underlines are not filtered (the editor shows everything).
  const underlines = await collectUnderlines(page);
  assert.deepEqual([...new Set(underlines.filter((u) => u.severity === "critical").map((u) => u.line))].filter((l) => [36, 39, 62, 73].includes(l)), [36, 39, 62, 73]);

  await button.click();
  await poll(() => critical.count(), (n) => assert.equal(n, 4));
  assert.equal(await button.getAttribute("aria-pressed"), "true");
  assert.equal(await page.locator("[data-testid=finding]").count(), 11);
  await env.assertClean();
});

test("3c. code with a syntax error and no finding says INCOMPLETE_ANALYSIS, never NO_SECURITY_ISSUES", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  await setCode(page, "x = 1\ndef f(:\n    pass\n");
  const s = await poll(() => status(page), (s) => assert.match(s, /INCOMPLETE_ANALYSIS/));
  assert.doesNotMatch(s, /NO_SECURITY_ISSUES/);
  assert.match(s, /not analysed/);
  t.diagnostic(s);
  // With findings too, the status still says part of the code was not analysed.
  await setCode(page, "import os\nos.system(cmd)\ndef f(:\n    pass\n");
  await poll(() => status(page), (s) => assert.match(s, /1 finding.*not analysed/s));
  await env.assertClean();
});
