// Custom rules typed in the playground: loaded by the engine in the worker, their findings shown
// with the built-in ones, errors reported with the key, kept in localStorage and in share links.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, openApp, poll, rows, setCode } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

const RULE = `rules:
  - id: workshop-no-print-secret
    languages: [python]
    severity: LOW
    message: A secret value is printed to the console
    pattern: print(..., $USER.password, ...)
`;

test("a custom rule typed in the settings flags code, survives reload and travels in share links", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  await setCode(page, "def show(user):\n    print('pw', user.password)\n    print(user.name)\n");
  await page.locator("[data-testid=settings-toggle]").click();
  await page.locator("details.custom-rules summary").click();
  const area = page.locator("[data-testid=custom-rules]");
  await area.fill("rules:\n  - id: broken\n    severity: HUGE\n    message: m\n    pattern: f()\n");
  await page.locator("[data-testid=apply-rules]").click();
  const err = await poll(() => page.locator("[data-testid=rules-status]").innerText(), (s) => assert.match(s, /severity/));
  t.diagnostic(`error shown: ${err}`);

  await area.fill(RULE);
  await page.locator("[data-testid=apply-rules]").click();
  await poll(() => page.locator("[data-testid=rules-status]").innerText(), (s) => assert.match(s, /1 custom rule/));
  await poll(() => rows(page), (rs) => assert.deepEqual(rs.map((r) => `${r.line} ${r.rule}`), ["2 workshop-no-print-secret"]));

  // Remembered after a reload.
  await page.reload();
  await page.locator("[data-testid=settings-toggle]").click();
  assert.equal(await page.locator("[data-testid=custom-rules]").inputValue(), RULE);
  await poll(() => page.locator("[data-testid=rules-status]").innerText(), (s) => assert.match(s, /1 custom rule/), { timeout: 20_000 });

  // Carried by a share link into a fresh context (no localStorage).
  await setCode(page, "print(account.password)\n");
  await page.locator("[data-testid=share]").click();
  await poll(() => page.url(), (u) => assert.match(u, /#code\/v2\//));
  const link = page.url();
  const other = await openApp(t, browser, { url: link, wait: "status" });
  await poll(() => rows(other.page), (rs) => assert.deepEqual(rs.map((r) => `${r.line} ${r.rule}`), ["1 workshop-no-print-secret"]), { timeout: 20_000 });
  await env.assertClean();
  await other.env.assertClean();
});

const TAINT_RULE = `rules:
  - id: workshop-ticket-to-shell
    languages: [python]
    mode: taint
    severity: HIGH
    message: A support ticket's text reaches a shell command
    pattern-sources:
      - pattern: fetch_ticket(...)
    pattern-sanitizers:
      - pattern: shlex.quote(...)
    pattern-sinks:
      - pattern: os.system(...)
`;

test("a custom taint rule typed in the settings follows the data and lists its steps", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  const code = [
    "import os, shlex",
    "def handle(tid):",
    "    text = fetch_ticket(tid)",
    '    cmd = f"notify {text}"',
    "    os.system(cmd)",
    '    os.system(f"notify {shlex.quote(text)}")',
    '    os.system("notify done")',
    "",
  ].join("\n");
  await setCode(page, code);
  await page.locator("[data-testid=settings-toggle]").click();
  await page.locator("details.custom-rules summary").click();
  await page.locator("[data-testid=custom-rules]").fill(TAINT_RULE);
  await page.locator("[data-testid=apply-rules]").click();
  await poll(() => page.locator("[data-testid=rules-status]").innerText(), (s) => assert.match(s, /1 custom rule/));
  // Only the unsanitized call is flagged (line 5), not the quoted one (6) nor the constant (7).
  const mine = async () => (await rows(page)).filter((r) => r.rule === "workshop-ticket-to-shell").map((r) => r.line);
  await poll(mine, (ls) => assert.deepEqual(ls, [5]));
  const row = page.locator('[data-testid=finding][data-rule="workshop-ticket-to-shell"]');
  await row.click();
  const steps = await poll(
    () => page.locator("[data-testid=detail] [data-testid=trace] [data-testid=trace-step]").evaluateAll((els) => els.map((e) => `${e.dataset.kind} ${e.dataset.line}`)),
    (s) => assert.deepEqual(s, ["source 3", "step 3", "step 4", "sink 5"]),
  );
  t.diagnostic(`trace: ${JSON.stringify(steps)}`);
  await env.assertClean();
});
