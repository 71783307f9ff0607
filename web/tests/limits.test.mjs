// Input over the playground's size limit: a clear message, a responsive page, and recovery.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, openApp, pasteCode, poll, rows, setCode, status } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test("a paste over the 2 MB limit gets a clear message, not a frozen tab", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  const line = "value = compute(alpha, beta, gamma)  # padding to make a large paste\n";
  const big = line.repeat(Math.ceil((2.3 * 1024 * 1024) / line.length));
  await pasteCode(page, big);
  await poll(() => status(page), (s) => assert.match(s, /not analysed/), { timeout: 30_000 });
  const msg = await page.locator("[data-testid=input-error]").innerText();
  t.diagnostic(msg);
  assert.match(msg, /over the playground's 2 MB limit/);
  assert.equal((await rows(page)).length, 0);
  // The page still answers: a timer fires promptly and the editor still takes input.
  const lag = await page.evaluate(() => new Promise((r) => { const t0 = performance.now(); setTimeout(() => r(performance.now() - t0), 0); }));
  assert.ok(lag < 500, `timer lag ${lag} ms`);
  await setCode(page, "import os\nos.system(cmd)\n");
  await poll(() => rows(page), (rs) => assert.deepEqual(rs.map((r) => `${r.line} ${r.rule}`), ["2 os-command-injection"]), { timeout: 20_000 });
  await env.assertClean();
});
