// The finding detail (remediation, links, editor selection) and HTML injection through the code.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  ORIGIN, colourShare, deepElements, editorText, launch, makeEnv, openApp, poll, rgbOf, rows, setCode,
} from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** Rectangles (viewport coordinates) of the editor's selection layer and of one mark. */
async function selectionRects(page) {
  return page.locator("[data-testid=editor] .cm-selectionBackground").evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    }),
  );
}

test("2. clicking a finding shows before/after, CWE and OWASP links, and selects its range", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  const detail = page.locator("[data-testid=detail]");
  // Before any selection the detail only asks to pick a finding.
  assert.match(await detail.innerText(), /Select a finding/);

  const row = page.locator('[data-testid=finding][data-rule="tainted-sql-query"][data-line="36"]');
  await row.click();
  await poll(() => row.getAttribute("aria-current"), (v) => assert.equal(v, "true"));
  assert.match(await detail.locator("h2").innerText(), /^Untrusted data in the text of an SQL query$/);
  assert.match(await detail.innerText(), /line 36:17/);

  for (const id of ["before", "after"]) {
    const code = (await detail.locator(`[data-testid=${id}] pre code`).innerText()).trim();
    assert.ok(code.length > 10, `${id} code is not empty: ${JSON.stringify(code)}`);
  }
  const beforeCode = await detail.locator("[data-testid=before] pre code").innerText();
  const afterCode = await detail.locator("[data-testid=after] pre code").innerText();
  assert.notEqual(beforeCode, afterCode);
  assert.match(await detail.locator("[data-testid=before] figcaption").innerText(), /Before/);
  assert.match(await detail.locator("[data-testid=after] figcaption").innerText(), /After/);

  const cwe = new URL(await detail.locator("[data-testid=cwe-link]").getAttribute("href"));
  assert.equal(cwe.protocol, "https:");
  assert.equal(cwe.hostname, "cwe.mitre.org");
  assert.match(cwe.pathname, /\/89\.html$/, "SQL injection is CWE-89");
  assert.match(await detail.locator("[data-testid=cwe-link]").innerText(), /^CWE-89/);
  const owasp = new URL(await detail.locator("[data-testid=owasp-link]").getAttribute("href"));
  assert.equal(owasp.protocol, "https:");
  assert.ok(owasp.hostname === "owasp.org" || owasp.hostname.endsWith(".owasp.org"), owasp.href);
  assert.match(await detail.locator("[data-testid=owasp-link]").innerText(), /OWASP A03:2021/);
  for (const link of ["cwe-link", "owasp-link"]) {
    assert.match(await detail.locator(`[data-testid=${link}]`).getAttribute("rel"), /noopener/);
  }

  // The editor selection is the finding's range: the selection layer covers exactly the mark.
  const mark = page.locator("[data-testid=editor] .cm-content .cm-pw-critical", { hasText: "SELECT id, title, price" });
  const m = await mark.evaluate((e) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  });
  const sel = await poll(() => selectionRects(page), (rs) => assert.equal(rs.length, 1, `one selection rectangle: ${JSON.stringify(rs)}`));
  assert.ok(Math.abs(sel[0].left - m.left) < 2 && Math.abs(sel[0].right - m.right) < 2, `selection ${JSON.stringify(sel[0])} vs mark ${JSON.stringify(m)}`);
  assert.ok(sel[0].top < m.bottom && sel[0].bottom > m.top, "same line");
  const active = await page.locator("[data-testid=editor] .cm-activeLine").allTextContents();
  assert.equal(active.length, 1);
  assert.ok(active[0].includes(`cur.execute(f"SELECT id, title, price FROM books WHERE title LIKE '%{term}%'")`), active[0]);

  // Another finding replaces the detail and the selection.
  const row2 = page.locator('[data-testid=finding][data-rule="reflected-xss"][data-line="81"]');
  await row2.click();
  await poll(() => detail.locator("h2").innerText(), (h) => assert.doesNotMatch(h, /SQL query/));
  assert.equal(await row.getAttribute("aria-current"), null);
  assert.match(await detail.innerText(), /line 81:21/);
  await poll(
    () => page.locator("[data-testid=editor] .cm-activeLine").allTextContents(),
    (a) => assert.deepEqual(a, [`    banner = Markup(f"<p class='greeting'>Welcome back, {name}!</p>")`]),
  );
  await env.assertClean();
});

// Regression: CodeMirror draws the selection in a layer behind the lines, so an opaque active-line
// background (as the light theme once had) hides it. Both themes must show the selected range.
for (const scheme of ["light", "dark"]) {
  test(`2b. the selected finding's range is visibly highlighted in the editor (${scheme})`, async (t) => {
    const { page, env } = await openApp(t, browser, { wait: "findings", colorScheme: scheme });
    await page.locator('[data-testid=finding][data-rule="tainted-sql-query"][data-line="36"]').click();
    const sel = page.locator("[data-testid=editor] .cm-selectionBackground");
    await poll(() => sel.count(), (n) => assert.equal(n, 1));
    const { box, colour } = await sel.evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { box: { x: r.left + 1, y: r.top + 1, width: r.width - 2, height: r.height - 2 }, colour: getComputedStyle(e).backgroundColor };
    });
    const png = await page.screenshot({ clip: box });
    const share = await colourShare(browser, png, rgbOf(colour));
    t.diagnostic(`${scheme}: selection colour ${colour}; ${(share * 100).toFixed(1)}% of the selected area shows it`);
    assert.ok(
      share > 0.3,
      `the selection (${colour}) is visible over the selected range: only ${(share * 100).toFixed(1)}% of its pixels have that colour`,
    );
    await env.assertClean();
  });
}

const PAYLOAD = "</script><img src=x onerror=alert(1)>";
// `x` is a parameter (its callers are unknown): a constant would be proven harmless and not
// reported (one verdict per sink).
const XSS_CODE = `def run(x="${PAYLOAD}"):\n    # <b>bold</b>\n    eval("${PAYLOAD}" + x)\n`;

async function assertNoInjectedMarkup(page, env) {
  const found = await deepElements(page);
  assert.ok(found.shadowRoots >= 1, "the walk entered the editor's shadow root");
  assert.deepEqual(
    found.img.filter((i) => i.src === "x" || (i.resolved || "").endsWith("/x") || i.onerror),
    [],
    `no injected <img src=x>: ${JSON.stringify(found.img)}`,
  );
  assert.deepEqual(found.b.filter((b) => b === "bold"), [], "no injected <b>");
  assert.deepEqual(found.script.filter((s) => s.startsWith("inline:")), [], "no inline scripts");
  assert.deepEqual(found.iframe, [], "no iframes");
  assert.deepEqual(env.requests.filter((u) => u.startsWith(ORIGIN + "/x")), [], "the browser never fetched /x");
  assert.deepEqual(env.dialogs, [], "no dialog");
}

test("5. HTML/script in the code stays text: editor, finding detail, tooltip and share link", async (t) => {
  const { page, env, context } = await openApp(t, browser);
  await setCode(page, XSS_CODE);
  await poll(() => rows(page), (r) => assert.deepEqual(r, [{ rule: "code-injection-eval", severity: "high", line: 3 }]));
  assert.equal(await editorText(page), XSS_CODE);

  await page.locator("[data-testid=finding]").click();
  const message = await page.locator("[data-testid=detail] .message").innerText();
  assert.ok(message.includes(`"${PAYLOAD}" + x`), `the detail shows the code literally: ${message}`);
  const mark = page.locator("[data-testid=editor] .cm-content .cm-pw-high");
  assert.equal(await mark.innerText(), `eval("${PAYLOAD}" + x)`);
  await mark.hover();
  await page.locator("[data-testid=editor] .cm-tooltip").first().waitFor();
  await assertNoInjectedMarkup(page, env);

  // The same code through a share link, opened in a new page.
  await page.locator("[data-testid=share]").click();
  await poll(() => page.url(), (u) => assert.match(u, /#code\/v2\//));
  const page2 = await context.newPage();
  makeEnv(context, page2, env);
  await page2.goto(page.url());
  await poll(() => rows(page2), (r) => assert.deepEqual(r, [{ rule: "code-injection-eval", severity: "high", line: 3 }]));
  assert.equal(await editorText(page2), XSS_CODE);
  await page2.locator("[data-testid=finding]").click();
  await page2.locator("[data-testid=detail] .message").waitFor();
  await assertNoInjectedMarkup(page2, env);
  await env.assertClean();
});
