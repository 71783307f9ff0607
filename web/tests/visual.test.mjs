// Screenshots (light, dark, mobile) and keyboard reachability.
// The screenshots are written to web/tests/artifacts/ for a person to look at; the tests also
// check what can be checked mechanically (theme colours, no horizontal overflow, layout).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { editorText, launch, openApp, overflow, poll, shot } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** Relative luminance (0 black - 1 white) of a CSS rgb()/rgba() colour. */
function luminance(css) {
  const m = css.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/);
  assert.ok(m, `a colour: ${css}`);
  const [r, g, b] = m.slice(1, 4).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

async function colours(page) {
  return {
    body: await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
    text: await page.evaluate(() => getComputedStyle(document.body).color),
    editor: await page.locator("[data-testid=editor] .cm-editor").evaluate((e) => getComputedStyle(e).backgroundColor),
    editorText: await page.locator("[data-testid=editor] .cm-content").evaluate((e) => getComputedStyle(e).color),
    detail: await page.locator("[data-testid=detail]").evaluate((e) => getComputedStyle(e).backgroundColor),
  };
}

async function selectSqlFinding(page) {
  const row = page.locator('[data-testid=finding][data-rule="tainted-sql-query"][data-line="36"]');
  await row.click();
  await poll(() => row.getAttribute("aria-current"), (v) => assert.equal(v, "true"));
  await page.locator("[data-testid=before]").waitFor();
}

test("13a. screenshot 1280x720 light, Flask example with a finding selected", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  await selectSqlFinding(page);
  const c = await colours(page);
  assert.ok(luminance(c.body) > 0.8 && luminance(c.editor) > 0.8, `light backgrounds: ${JSON.stringify(c)}`);
  assert.ok(luminance(c.text) < 0.1 && luminance(c.editorText) < 0.1, `dark text: ${JSON.stringify(c)}`);
  const o = await overflow(page, ".sr-only, pre");
  assert.ok(o.scrollWidth <= o.clientWidth, `no horizontal scroll: ${JSON.stringify(o)}`);
  // The editor and the findings are side by side at this width.
  const ed = await page.locator("[data-testid=editor]").boundingBox();
  const list = await page.locator("[data-testid=finding]").first().boundingBox();
  assert.ok(list.x > ed.x + ed.width - 1, `findings to the right of the editor: ${JSON.stringify({ ed, list })}`);
  t.diagnostic(await shot(page, "light-1280x720.png"));
  await env.assertClean();
});

test("13b. screenshot 1280x720 dark (prefers-color-scheme: dark)", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings", colorScheme: "dark" });
  await selectSqlFinding(page);
  const c = await colours(page);
  assert.ok(luminance(c.body) < 0.05, `dark page background: ${JSON.stringify(c)}`);
  assert.ok(luminance(c.editor) < 0.05, `dark editor background: ${JSON.stringify(c)}`);
  assert.ok(luminance(c.detail) < 0.05, `dark detail background: ${JSON.stringify(c)}`);
  assert.ok(luminance(c.text) > 0.6 && luminance(c.editorText) > 0.3, `light text: ${JSON.stringify(c)}`);
  t.diagnostic(await shot(page, "dark-1280x720.png"));
  await env.assertClean();
});

test("13c. screenshot 390x844 mobile: no horizontal overflow, findings reachable", async (t) => {
  const { page, env } = await openApp(t, browser, {
    wait: "findings",
    viewport: { width: 390, height: 844 },
    contextOptions: { isMobile: true, hasTouch: true },
  });
  t.diagnostic(await shot(page, "mobile-390x844.png"));
  const o = await overflow(page, ".sr-only, pre");
  assert.ok(o.scrollWidth <= o.clientWidth && o.out.length === 0, `no horizontal overflow at 390 px: ${JSON.stringify(o)}`);
  const ed = await page.locator("[data-testid=editor]").boundingBox();
  assert.ok(ed.width <= 390 && ed.height >= 150, `editor fits and is usable: ${JSON.stringify(ed)}`);
  for (const id of ["examples", "settings-toggle", "share"]) {
    const b = await page.locator(`[data-testid=${id}]`).boundingBox();
    assert.ok(b && b.x >= 0 && b.x + b.width <= 390, `${id} inside the viewport: ${JSON.stringify(b)}`);
  }
  await selectSqlFinding(page);
  t.diagnostic(await shot(page, "mobile-390x844-selected.png"));
  t.diagnostic(await shot(page, "mobile-390x844-full.png", { fullPage: true }));
  await env.assertClean();
});

// Regression: at 390 px "Export ▾" wraps to the left edge, so its menu must open rightwards
// (it once opened off-screen at negative x).
test("13d. mobile 390x844: the open Export menu fits on the screen", async (t) => {
  const { page, env } = await openApp(t, browser, {
    wait: "findings",
    viewport: { width: 390, height: 844 },
    contextOptions: { isMobile: true, hasTouch: true },
  });
  await page.locator("details.export summary").click();
  const menu = page.locator("details.export .menu");
  await menu.waitFor();
  t.diagnostic(await shot(page, "mobile-390x844-export-menu.png"));
  for (const id of ["export-markdown", "export-sarif", "export-json"]) {
    const b = await page.locator(`[data-testid=${id}]`).boundingBox();
    assert.ok(b && b.x >= 0 && b.x + b.width <= 390, `${id} inside the 390 px viewport: ${JSON.stringify(b)}`);
  }
  await env.assertClean();
});

/** What has the focus, through shadow roots. */
function focused(page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    if (!a || a === document.body) return "body";
    if (a.dataset && a.dataset.testid) return a.dataset.testid;
    if (a.classList.contains("cm-content")) return "editor";
    if (a.tagName === "SUMMARY" && a.closest("details.export")) return "export";
    if (a.classList.contains("count")) return "count:" + a.className.match(/sev-(\w+)/)[1];
    return `${a.tagName.toLowerCase()}.${a.className}`;
  });
}

// The editor keeps Tab for indentation (what users expect in a code editor); the hint under the
// editor says how to leave it: Escape, then Tab (CodeMirror's escape hatch).
test("13e. keyboard: Tab reaches the toolbar and the editor; the hinted Esc, Tab leads on to the findings", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  const before = await editorText(page);
  const seen = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    seen.push(await focused(page));
    if (seen.at(-1) === "editor") break;
  }
  t.diagnostic(`Tab order: ${seen.join(" → ")}`);
  for (const id of ["examples", "settings-toggle", "export", "share", "editor"]) {
    assert.ok(seen.includes(id), `${id} receives focus by Tab: ${seen.join(", ")}`);
  }
  const hint = await page.locator("[data-testid=editor-keys]").textContent();
  assert.match(hint, /Esc\s*then\s*Tab/, "the page says how to leave the editor");
  assert.ok(await page.locator("[data-testid=editor-keys]").isVisible());
  await page.keyboard.press("Escape");
  const after = [];
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press("Tab");
    after.push(await focused(page));
    if (after.at(-1) === "finding") break;
  }
  t.diagnostic(`after Escape: ${after.join(" → ")}`);
  assert.ok(after.includes("finding"), `finding rows receive focus after Esc, Tab: ${after.join(" → ")}`);
  assert.equal(await editorText(page), before, "moving through the page with the keyboard does not change the code");
  await page.keyboard.press("Enter");
  await page.locator("[data-testid=detail] [data-testid=before]").waitFor();
  await env.assertClean();
});
