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
  await poll(() => page.url(), (u) => assert.match(u, /#code\/v1\//));
  const link = page.url();
  const other = await openApp(t, browser, { url: link, wait: "status" });
  await poll(() => rows(other.page), (rs) => assert.deepEqual(rs.map((r) => `${r.line} ${r.rule}`), ["1 workshop-no-print-secret"]), { timeout: 20_000 });
  await env.assertClean();
  await other.env.assertClean();
});
