// The security report at the top of the playground: overall risk and score, the OWASP Top 10
// (2021) matrix, and each finding's likelihood and impact in the detail panel; all checked
// against the CLI's JSON report of the same example.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO, launch, loadExample, openApp, poll, shot, status } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** The CLI's JSON report of a web example (the debug build of the worktree). */
function cliReport(example) {
  const bin = join(process.env.CARGO_TARGET_DIR || join(REPO, "target"), "debug", "pyward");
  assert.ok(existsSync(bin), `build the CLI first (cargo build -p pyward-cli): ${bin}`);
  let out;
  try {
    out = execFileSync(bin, ["scan", join(REPO, "web", "examples", `${example}.py`), "--format", "json"], { encoding: "utf8" });
  } catch (e) {
    out = e.stdout; // exit code 1: findings
  }
  return JSON.parse(out);
}

const LABEL = { critical: "Critical", high: "High", medium: "Medium", low: "Low" };

test("r1. the risk rating, the score and the OWASP matrix match the CLI's report", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  const cli = cliReport("flask_sqli_xss");
  assert.ok(cli.findings.length > 0);
  const risk = page.locator("[data-testid=risk]");
  await poll(() => risk.innerText(), (s) => assert.match(s, /risk/));
  assert.equal(await page.locator("[data-testid=risk-rating]").innerText(), `${LABEL[cli.risk.rating]} risk`);
  assert.equal(await page.locator("[data-testid=risk-score]").innerText(), `security score ${cli.risk.score}/100`);
  assert.ok(cli.risk.score < 100);

  const matrix = page.locator("[data-testid=owasp]");
  await matrix.locator("summary").click();
  assert.equal(await matrix.locator("tbody tr").count(), 10);
  for (const row of cli.owasp_top10) {
    const tr = matrix.locator(`[data-testid=owasp-${row.id.slice(0, 3)}]`);
    const cells = await tr.locator("th, td").allInnerTexts();
    assert.equal(cells[0], `${row.id} ${row.name}`);
    assert.equal(cells[1], row.rules.length ? row.rules.join(", ") : "—", row.id);
    assert.equal(Number(cells[2]), row.findings, row.id);
    const label = { issues_found: "issues found", no_issues_found: "no issues found", not_covered: "not covered by static analysis" }[row.status];
    assert.equal(cells[3], label, row.id);
  }
  assert.ok(cli.owasp_top10.some((r) => r.status === "issues_found"));
  await shot(page, "report-risk-owasp.png");
  await env.assertClean();
});

test("r2. the detail panel shows the finding's likelihood and impact", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  const cli = cliReport("flask_sqli_xss");
  const withBoth = cli.findings.filter((f) => f.likelihood && f.impact);
  assert.ok(withBoth.length > 0);
  for (const f of withBoth.slice(0, 3)) {
    await page.locator(`[data-testid=finding][data-rule="${f.rule_id}"][data-line="${f.line}"]`).first().click();
    const detail = page.locator("[data-testid=detail]");
    await poll(() => detail.locator("[data-testid=likelihood]").innerText(), (s) => assert.equal(s, `likelihood: ${f.likelihood.toLowerCase()}`));
    assert.equal(await detail.locator("[data-testid=impact]").innerText(), `impact: ${f.impact.toLowerCase()}`);
  }
  await shot(page, "report-detail-likelihood.png");
  await env.assertClean();
});

test("r3. clean code is low risk with a full score, every covered category without issues", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  await loadExample(page, "clean_app");
  await poll(() => status(page), (s) => assert.match(s, /NO_SECURITY_ISSUES/));
  assert.equal(await page.locator("[data-testid=risk-rating]").innerText(), "Low risk");
  assert.equal(await page.locator("[data-testid=risk-score]").innerText(), "security score 100/100");
  const statuses = await page.locator("[data-testid=owasp] .owasp-status").allTextContents();
  assert.equal(statuses.length, 10);
  assert.ok(statuses.every((s) => s === "no issues found" || s === "not covered by static analysis"), JSON.stringify(statuses));
  await env.assertClean();
});
