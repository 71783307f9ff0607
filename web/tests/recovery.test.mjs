// The analysis worker recovers from any failure of the engine, not only from wasm traps: the
// page is told what happened, starts a fresh worker, and the next edit is analysed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, launch, openApp, poll, rows, setCode } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

// The page's own worker.js (the readable source, served in place of the built copy), with the
// engine's `analyzeJson` and `analyzeTabsJson` (the editor's tabs) made to fail on a marker as a wasm stack overflow does (a RangeError).
// Before the fix the worker took a RangeError for an ordinary refusal and kept the instance.
function failingWorker() {
  const src = readFileSync(join(REPO, "web", "worker.js"), "utf8");
  const patched = src.replace(
    "analyzer = new Analyzer();",
    `analyzer = new Analyzer();
    const realAnalyze = analyzer.analyzeJson.bind(analyzer);
    analyzer.analyzeJson = (source, settings) => {
      if (String(source).includes("__pyward_test_stack_overflow__")) throw new RangeError("Maximum call stack size exceeded");
      return realAnalyze(source, settings);
    };
    const realTabs = analyzer.analyzeTabsJson.bind(analyzer);
    analyzer.analyzeTabsJson = (tabs, settings) => {
      if (JSON.stringify(tabs).includes("__pyward_test_stack_overflow__")) throw new RangeError("Maximum call stack size exceeded");
      return realTabs(tabs, settings);
    };`,
  );
  assert.notEqual(patched, src, "worker.js still creates its Analyzer the way this test patches");
  return patched;
}

test("a RangeError in the engine retires the worker; a fresh one analyses the next edit", async (t) => {
  const body = failingWorker();
  const { context, page, env } = await openApp(t, browser, { wait: "findings" });
  // Later workers (the restart) load the patched script too; the first one was started by
  // boot.js before the route existed, so reload with the route in place.
  await context.route("**/worker.js", (route) => route.fulfill({ status: 200, contentType: "text/javascript", body }));
  const workers = [];
  page.on("worker", (w) => workers.push(w.url()));
  await page.reload();
  await poll(() => rows(page), (rs) => assert.ok(rs.length > 0, "the first example is analysed"), { timeout: 20_000 });

  await setCode(page, "x = 1  # __pyward_test_stack_overflow__\n");
  const msg = await poll(
    () => page.locator("[data-testid=notice], [data-testid=engine-error]").allInnerTexts().then((ts) => ts.join(" | ")),
    (m) => assert.match(m, /restarted/),
    { timeout: 20_000 },
  );
  t.diagnostic(msg);
  assert.match(msg, /Maximum call stack size exceeded/);

  // The fresh worker answers the next edit.
  await setCode(page, "import os\nos.system(cmd)\n");
  await poll(() => rows(page), (rs) => assert.deepEqual(rs.map((r) => `${r.line} ${r.rule}`), ["2 os-command-injection"]), { timeout: 20_000 });
  assert.ok(workers.length >= 2, `a second worker was started: ${JSON.stringify(workers)}`);
  // The failure is shown to the user, not thrown into the console as an uncaught error.
  assert.deepEqual(env.pageErrors, []);
});
