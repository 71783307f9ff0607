// `\N{...}` escapes in the browser: the engine's wasm leaves out the Unicode name table (113 KB
// gzipped); the worker fetches unicode-names.bin once, only when a text has `\N{`. If it cannot
// be fetched, the file is analysed anyway and reported as not analysed fully, never as clean.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, openApp, poll, rows, setCode, status } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

const tableRequests = (env) => env.contextRequests.filter((u) => /\/unicode-names\.bin$/.test(u));

test("the name table is fetched only for code with \\N{...}, and then resolves names and refuses unknown ones", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  assert.deepEqual(tableRequests(env), [], "no table for the first page");
  await setCode(page, 'import os\nlabel = "\\N{BULLET} \\N{nbsp} item"\nos.system(input())\n');
  await poll(() => rows(page), (r) => assert.ok(r.some((x) => x.line === 3), JSON.stringify(r)));
  const s = await status(page);
  assert.doesNotMatch(s, /not analysed|INCOMPLETE/, s);
  assert.equal(await page.locator("[data-testid=syntax-error]").count(), 0);
  assert.equal(tableRequests(env).length, 1, "fetched once");

  // An unknown name is a syntax error at its line (the table answered), the rest analysed.
  await setCode(page, 'import os\nlabel = "\\N{NOT A REAL NAME}"\nos.system(input())\n');
  const errs = await poll(
    () => page.locator("[data-testid=syntax-error]").allInnerTexts(),
    (e) => assert.ok(e.length === 1 && /^line 2:/.test(e[0]), JSON.stringify(e)),
  );
  t.diagnostic(errs[0]);
  await poll(() => rows(page), (r) => assert.ok(r.some((x) => x.line === 3), JSON.stringify(r)));
  assert.equal(tableRequests(env).length, 1, "still fetched once");
  await env.assertClean();
});

test("without the name table (the fetch fails) such a file is analysed but never reported clean", async (t) => {
  const { context, page, env } = await openApp(t, browser, { wait: "findings" });
  await context.route(/\/unicode-names\.bin$/, (route) => route.abort());
  await setCode(page, 'label = "\\N{BULLET} item"\nx = 1\n');
  const s = await poll(() => status(page), (s) => assert.match(s, /INCOMPLETE_ANALYSIS/));
  assert.doesNotMatch(s, /NO_SECURITY_ISSUES/);
  t.diagnostic(s);
  // Findings elsewhere in the file still show.
  await setCode(page, 'import os\nlabel = "\\N{BULLET} item"\nos.system(input())\n');
  await poll(() => rows(page), (r) => assert.ok(r.some((x) => x.line === 3), JSON.stringify(r)));
  await poll(() => status(page), (s) => assert.match(s, /not analysed/));
  assert.ok(tableRequests(env).length >= 1);
});
