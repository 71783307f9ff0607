// Keyboard, touch, narrow layout, contrast, the live region, the version and the theme switch.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, editorText, launch, openApp, overflow, poll, rows, setCode, shot } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

const MOBILE = { viewport: { width: 390, height: 844 }, contextOptions: { isMobile: true, hasTouch: true } };
const SQL_ROW = '[data-testid=finding][data-rule="tainted-sql-query"][data-line="36"]';

/** What has the focus (through shadow roots): its test id, else a short description. */
function focused(page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    if (!a || a === document.body) return { id: "body", editable: false };
    const editable = a.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName);
    const id = (a.dataset && a.dataset.testid) || (a.classList.contains("cm-content") ? "editor" : `${a.tagName.toLowerCase()}.${a.className}`);
    return { id, editable, inDetail: !!a.closest("[data-testid=detail]") };
  });
}

// A fixable finding (yaml.load -> yaml.safe_load) with CWE and OWASP links in its detail.
const YAML_CODE = "import yaml\n\n\ndef load(s):\n    return yaml.load(s)\n";

test("keyboard: Enter on a finding row focuses the detail, Tab reaches its links and Apply fix, the code is untouched", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  await setCode(page, YAML_CODE);
  const row = page.locator("[data-testid=finding]").first();
  await poll(() => rows(page), (rs) => assert.ok(rs.length >= 1 && rs[0].line === 5, JSON.stringify(rs)));
  await row.focus();
  await page.keyboard.press("Enter");
  await page.locator("[data-testid=detail] [data-testid=apply-fix]").waitFor();
  const f = await poll(() => focused(page), (f) => assert.equal(f.id, "detail", `focus after Enter: ${JSON.stringify(f)}`));
  assert.equal(f.editable, false);
  // The finding's range is still shown as the editor's selection.
  assert.equal(await page.locator("[data-testid=editor] .cm-selectionBackground").count(), 1, "the finding is selected in the editor");
  const seen = [];
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    seen.push(now.id);
    assert.ok(now.inDetail, `Tab stays in the detail until Apply fix: ${seen.join(" → ")}`);
    if (now.id === "apply-fix") break;
  }
  t.diagnostic(`Tab from the detail: ${seen.join(" → ")}`);
  assert.ok(seen.includes("cwe-link") && seen.includes("owasp-link"), `links reachable: ${seen.join(", ")}`);
  assert.equal(seen.at(-1), "apply-fix", `Apply fix reachable: ${seen.join(", ")}`);
  assert.equal(await editorText(page), YAML_CODE, "tabbing through the detail does not change the code");
  await page.keyboard.press("Enter");
  await poll(() => editorText(page), (s) => assert.match(s, /yaml\.safe_load\(s\)/));
  await env.assertClean();
});

test("touch 390 px: tapping a finding opens its detail near the row, without focusing the editor (no on-screen keyboard)", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings", ...MOBILE });
  const row = page.locator(SQL_ROW);
  await row.scrollIntoViewIfNeeded();
  await row.tap();
  await poll(() => row.getAttribute("aria-current"), (v) => assert.equal(v, "true"));
  await page.locator("[data-testid=detail] [data-testid=before]").waitFor();
  const f = await focused(page);
  assert.equal(f.editable, false, `tapping a finding must not focus an editable element: ${JSON.stringify(f)}`);
  await page.waitForTimeout(300); // let scrolling settle
  const geo = await page.evaluate((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    const d = document.querySelector("[data-testid=detail] h2").getBoundingClientRect();
    return { rowTop: r.top, rowBottom: r.bottom, detailTop: d.top, detailBottom: d.bottom, vh: window.innerHeight };
  }, SQL_ROW);
  t.diagnostic(`after the tap: ${JSON.stringify(geo)}`);
  assert.ok(geo.rowTop >= 0 && geo.detailBottom <= geo.vh, `the tapped row and the detail's title are on screen: ${JSON.stringify(geo)}`);
  // Near: below the row, on the same screen (the list box shows at most 60% of it in between).
  assert.ok(geo.detailTop > geo.rowBottom && geo.detailTop - geo.rowBottom <= geo.vh * 0.7, `the detail opens under the tapped row: ${JSON.stringify(geo)}`);
  t.diagnostic(await shot(page, "a11y-mobile-tap.png"));
  await env.assertClean();
});

const LONG_ID = "workshop-" + "a-very-long-rule-identifier-".repeat(5) + "end";
const LONG_RULE = `rules:
  - id: ${LONG_ID}
    languages: [python]
    severity: MEDIUM
    message: Call of ${"a_remarkably_long_function_name_".repeat(4)}call flagged
    pattern: ${"a_remarkably_long_function_name_".repeat(4)}call(...)
`;

test("390 px: an open finding never widens the page, long inline code wraps", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings", ...MOBILE });
  // Every finding of the Flask example, opened one after the other.
  const n = await page.locator("[data-testid=finding]").count();
  for (let i = 0; i < n; i++) {
    await page.locator("[data-testid=finding]").nth(i).click();
    await page.locator("[data-testid=detail] h2").waitFor();
    const o = await overflow(page, "pre, .cm-scroller");
    assert.ok(o.scrollWidth <= o.clientWidth && o.out.length === 0, `finding ${i}: no horizontal overflow: ${JSON.stringify(o)}`);
  }
  // A rule with a long identifier and message (one unbreakable word each).
  await page.locator("[data-testid=settings-toggle]").click();
  await page.locator("details.custom-rules summary").click();
  await page.locator("[data-testid=custom-rules]").fill(LONG_RULE);
  await page.locator("[data-testid=apply-rules]").click();
  await poll(() => page.locator("[data-testid=rules-status]").innerText(), (s) => assert.match(s, /1 custom rule/));
  await page.locator("[data-testid=settings-toggle]").click();
  await setCode(page, `${"a_remarkably_long_function_name_".repeat(4)}call(1)\n`);
  const row = page.locator(`[data-testid=finding][data-rule="${LONG_ID}"]`);
  await row.waitFor();
  await row.click();
  await page.locator("[data-testid=detail] h2").waitFor();
  const o = await overflow(page, "pre, .cm-scroller");
  t.diagnostic(await shot(page, "a11y-mobile-long-code.png", { fullPage: true }));
  assert.ok(o.scrollWidth <= o.clientWidth && o.out.length === 0, `long inline code wraps: ${JSON.stringify(o)}`);
  await env.assertClean();
});

// WCAG 2 contrast of every visible text (text nodes and ::before/::after strings): the text colour
// (its alpha and the opacity of its ancestors applied) against the backgrounds composited beneath.
function contrastFailures(page) {
  return page.evaluate(() => {
    const parse = (css) => {
      const m = css.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
      if (m) return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
      const s = css.match(/srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?/);
      if (s) return [s[1] * 255, s[2] * 255, s[3] * 255, s[4] === undefined ? 1 : Number(s[4])];
      throw new Error("colour " + css);
    };
    const over = (top, below) => [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3])).concat(1);
    const lum = (c) => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    // The parent element, across shadow roots (the editor lives in one).
    const up = (e) => e.parentElement || (e.parentNode && e.parentNode.host) || null;
    const background = (el, own) => {
      const layers = own ? [own] : [];
      for (let e = el; e; e = up(e)) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 1) break;
      }
      return layers.reverse().reduce((acc, c) => over(c, acc), [255, 255, 255, 1]);
    };
    const opacity = (el) => {
      let o = 1;
      for (let e = el; e; e = up(e)) o *= Number(getComputedStyle(e).opacity);
      return o;
    };
    // The part of the element not clipped by scrolling ancestors, in the viewport.
    const visible = (el) => {
      let r = el.getBoundingClientRect();
      let [l, t, rt, b] = [r.left, r.top, r.right, r.bottom];
      for (let e = up(el); e; e = up(e)) {
        if (getComputedStyle(e).overflow === "visible") continue;
        const p = e.getBoundingClientRect();
        [l, t, rt, b] = [Math.max(l, p.left), Math.max(t, p.top), Math.min(rt, p.right), Math.min(b, p.bottom)];
      }
      [l, t, rt, b] = [Math.max(l, 0), Math.max(t, 0), Math.min(rt, innerWidth), Math.min(b, innerHeight)];
      return rt - l > 1 && b - t > 1;
    };
    const check = (el, style, ownBg, what) => {
      const fg = parse(style.color);
      const bg = background(el, ownBg);
      const eff = over([fg[0], fg[1], fg[2], fg[3] * opacity(el)], bg);
      return { r: ratio(eff, bg), colours: `${style.color} on rgb(${bg.slice(0, 3).map(Math.round).join(", ")})` };
    };
    // Every element, in the document and in open shadow roots.
    const all = [];
    const collect = (root) => {
      for (const el of root.querySelectorAll("*")) {
        all.push(el);
        if (el.shadowRoot) collect(el.shadowRoot);
      }
    };
    collect(document.body);
    const out = [];
    let checked = 0;
    const fail = (text, el, pseudo, c) =>
      out.push({ text: text.slice(0, 30), cls: `${el.tagName.toLowerCase()}.${el.className}${pseudo}`, ratio: Math.round(c.r * 100) / 100, colours: c.colours });
    for (const el of all) {
      const text = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join("").trim();
      if (!text || !el.checkVisibility({ visibilityProperty: true }) || el.closest(".sr-only, option, select") || !visible(el)) continue;
      const c = check(el, getComputedStyle(el));
      checked++;
      if (c.r < 4.5) fail(text, el, "", c);
    }
    for (const el of all) {
      for (const pseudo of ["::before", "::after"]) {
        const s = getComputedStyle(el, pseudo);
        const attr = s.content.match(/^attr\(([\w-]+)\)$/);
        const text = attr ? el.getAttribute(attr[1]) || "" : (s.content.match(/^"(.*)"$/) || [])[1] || "";
        if (!text.trim() || !el.checkVisibility() || !visible(el)) continue;
        const own = parse(s.backgroundColor);
        const c = check(el, s, own[3] > 0 ? own : null);
        checked++;
        if (c.r < 4.5) fail(text, el, pseudo, c);
      }
    }
    return { checked, failures: out };
  });
}

for (const scheme of ["light", "dark"]) {
  test(`contrast >= 4.5:1 for every visible text (${scheme}), a finding open, a filter off, the settings open`, async (t) => {
    for (const [name, opts] of [["1280", {}], ["390", MOBILE]]) {
      const { page, env } = await openApp(t, browser, { wait: "findings", colorScheme: scheme, ...opts });
      await page.locator(SQL_ROW).click();
      await page.locator("[data-testid=detail] [data-testid=before]").waitFor();
      const results = [];
      results.push(await contrastFailures(page));
      // A severity filter switched off, and the settings open.
      await page.locator(".count.sev-low").click();
      await page.locator("[data-testid=settings-toggle]").click();
      await page.locator("[data-testid=settings]").waitFor();
      results.push(await contrastFailures(page));
      // The share notice and the detail scrolled to its end.
      await page.locator("[data-testid=detail]").evaluate((d) => d.scrollTo(0, d.scrollHeight));
      results.push(await contrastFailures(page));
      const failures = results.flatMap((r) => r.failures);
      t.diagnostic(`${scheme} ${name}: ${results.map((r) => r.checked).join(" + ")} texts checked, ${failures.length} below 4.5:1`);
      assert.deepEqual([...new Map(failures.map((f) => [f.cls + f.text, f])).values()], [], `${scheme} ${name}: texts below 4.5:1`);
      await env.assertClean();
    }
  });
}

test("a live region announces the status and the number of findings after each analysis", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  const live = page.locator("[data-testid=live]");
  assert.equal(await live.count(), 1, "one live region");
  assert.equal(await live.getAttribute("aria-live"), "polite");
  assert.equal(await live.getAttribute("role"), "status");
  const n = (await rows(page)).length;
  await poll(() => live.textContent(), (s) => assert.match(s, new RegExp(`^${n} findings`)));
  await setCode(page, "x = 1\n");
  await poll(() => live.textContent(), (s) => assert.match(s, /No security issues found/));
  await setCode(page, "import os\nos.system(input())\n");
  await poll(() => live.textContent(), (s) => assert.match(s, /^[1-9]\d* findings?\b/));
  // Only the live region is announced: the timing line under the editor changes on every edit.
  assert.equal(await page.locator("[data-testid=analysis-info]").getAttribute("aria-live"), null);
  await env.assertClean();
});

test("the version is shown", async (t) => {
  const { page, env } = await openApp(t, browser, {});
  const version = readFileSync(join(REPO, "Cargo.toml"), "utf8").match(/^version = "([^"]+)"/m)[1];
  assert.match(await page.locator("[data-testid=version]").innerText(), new RegExp(`pyward ${version.replace(/\./g, "\\.")}\\b`));
  await env.assertClean();
});

async function themeColours(page) {
  return {
    theme: await page.evaluate(() => document.documentElement.dataset.theme || ""),
    body: await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
    editor: await page.locator("[data-testid=editor] .cm-editor").evaluate((e) => getComputedStyle(e).backgroundColor),
  };
}
const isDark = (css) => {
  const [r, g, b] = css.match(/[\d.]+/g).map(Number);
  return r + g + b < 3 * 80;
};

test("theme: light, dark or system, remembered; Reset restores the default settings", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings", colorScheme: "dark" });
  let c = await themeColours(page);
  assert.ok(isDark(c.body) && isDark(c.editor), `system (dark) by default: ${JSON.stringify(c)}`);
  await page.locator("[data-testid=settings-toggle]").click();
  await page.selectOption("[data-testid=theme]", "light");
  c = await poll(() => themeColours(page), (c) => assert.ok(!isDark(c.body) && !isDark(c.editor), JSON.stringify(c)));
  await page.selectOption("[data-testid=min-severity]", "high");
  await page.reload();
  await poll(() => rows(page), (rs) => assert.ok(rs.length > 0));
  c = await themeColours(page);
  assert.ok(!isDark(c.body) && !isDark(c.editor), `light after a reload: ${JSON.stringify(c)}`);
  await page.locator("[data-testid=settings-toggle]").click();
  assert.equal(await page.locator("[data-testid=theme]").inputValue(), "light");
  await page.selectOption("[data-testid=theme]", "dark");
  await page.emulateMedia({ colorScheme: "light" });
  c = await poll(() => themeColours(page), (c) => assert.ok(isDark(c.body) && isDark(c.editor), `dark chosen wins over a light system: ${JSON.stringify(c)}`));
  await page.selectOption("[data-testid=theme]", "system");
  c = await poll(() => themeColours(page), (c) => assert.ok(!isDark(c.body) && !isDark(c.editor), `system follows the light system: ${JSON.stringify(c)}`));
  await page.emulateMedia({ colorScheme: "dark" });
  c = await poll(() => themeColours(page), (c) => assert.ok(isDark(c.body) && isDark(c.editor), `and its changes: ${JSON.stringify(c)}`));
  await page.selectOption("[data-testid=theme]", "light");
  // Reset: system theme and default settings, remembered.
  await page.locator("[data-testid=reset-settings]").click();
  c = await poll(() => themeColours(page), (c) => assert.ok(isDark(c.body) && isDark(c.editor), `reset to system (dark): ${JSON.stringify(c)}`));
  assert.equal(await page.locator("[data-testid=theme]").inputValue(), "system");
  assert.equal(await page.locator("[data-testid=min-severity]").inputValue(), "low");
  await page.reload();
  await page.locator("[data-testid=settings-toggle]").click();
  assert.equal(await page.locator("[data-testid=theme]").inputValue(), "system");
  assert.equal(await page.locator("[data-testid=min-severity]").inputValue(), "low");
  await env.assertClean();
});

for (const scheme of ["light", "dark"]) {
  for (const [w, h, opts] of [[1280, 720, {}], [390, 844, MOBILE]]) {
    test(`screenshot ${w}x${h} ${scheme} with a finding open`, async (t) => {
      const { page, env } = await openApp(t, browser, { wait: "findings", colorScheme: scheme, viewport: { width: w, height: h }, ...opts });
      await page.locator(SQL_ROW).click();
      await page.locator("[data-testid=detail] [data-testid=before]").waitFor();
      await page.waitForTimeout(300);
      t.diagnostic(await shot(page, `a11y-${scheme}-${w}.png`));
      await env.assertClean();
    });
  }
}
