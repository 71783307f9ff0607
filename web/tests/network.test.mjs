// Network and policy: the playground only talks to its own origin, under its strict CSP, with a
// clean console, through a whole session (load, examples, analysis, share, three exports).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ARTIFACTS, ORIGIN, expectedFindings, launch, loadExample, openApp, pairs, poll, rows } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

async function exportReport(page, format, filename) {
  const details = page.locator("details.export");
  if (!(await details.evaluate((d) => d.open))) await details.locator("summary").click();
  const [download] = await Promise.all([
    page.waitForEvent("download", { timeout: 10_000 }),
    page.locator(`[data-testid=export-${format}]`).click(),
  ]);
  assert.equal(download.suggestedFilename(), filename);
  const path = join(ARTIFACTS, filename);
  await download.saveAs(path);
  await poll(() => page.locator("[data-testid=notice]").innerText().catch(() => ""), (n) => assert.match(n, new RegExp(`Downloaded ${filename.replace(".", "\\.")}`)));
  return { text: await readFile(path, "utf8"), url: download.url() };
}

test("6. same-origin requests only, no CSP violation, no console error: load, example, share, exports", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  const headers = env.response.headers();
  assert.match(headers["content-security-policy"] || "", /default-src 'self'/, "the server sends the strict CSP");

  // Another example, analysed.
  await loadExample(page, "subprocess_misuse");
  const expected = expectedFindings("subprocess_misuse");
  await poll(() => rows(page), (r) => assert.deepEqual(pairs(r), pairs(expected)));

  // Share.
  await page.locator("[data-testid=share]").click();
  await poll(() => page.url(), (u) => assert.match(u, /#code\/v2\//));
  await page.locator("[data-testid=notice]").waitFor();

  // Exports.
  const md = await exportReport(page, "markdown", "pyward-report.md");
  assert.ok(md.text.startsWith("# pyward security report"), md.text.slice(0, 80));
  for (const e of expected) assert.ok(md.text.includes(e.rule), `markdown mentions ${e.rule}`);

  const sarif = await exportReport(page, "sarif", "pyward-report.sarif");
  const s = JSON.parse(sarif.text);
  assert.equal(s.version, "2.1.0");
  assert.equal(s.runs.length, 1);
  assert.deepEqual(
    s.runs[0].results.map((r) => `${r.locations[0].physicalLocation.region.startLine} ${r.ruleId}`).sort(),
    pairs(expected),
  );

  const json = await exportReport(page, "json", "pyward-report.json");
  const j = JSON.parse(json.text);
  assert.ok(Array.isArray(j.findings), Object.keys(j).join(","));
  assert.deepEqual(j.findings.map((f) => `${f.line} ${f.rule_id}`).sort(), pairs(expected));

  // Every request went to the page's origin (downloads: blob: URLs of that origin).
  const all = [...new Set([...env.requests, ...env.contextRequests])];
  assert.ok(all.some((u) => u.endsWith(".wasm")), `the wasm modules were fetched: ${all.join(", ")}`);
  const foreign = all.filter((u) => {
    if (u.startsWith("data:")) return false;
    if (u.startsWith("blob:")) return !u.startsWith("blob:" + ORIGIN + "/");
    return new URL(u).origin !== ORIGIN;
  });
  assert.deepEqual(foreign, [], "requests to other origins");
  for (const d of [md, sarif, json]) assert.ok(d.url.startsWith("blob:" + ORIGIN + "/") || d.url.startsWith("data:"), d.url);
  t.diagnostic(`requests: ${all.length} distinct URLs: ${all.map((u) => u.replace(ORIGIN, "")).join(" ")}`);
  await env.assertClean();
});
