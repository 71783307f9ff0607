// Shared helpers for the playground browser tests (run through web/tests/run.mjs).
//
// Every test gets a fresh browser context (no shared localStorage, clipboard or cache) and an
// `env` that records console errors, page errors, dialogs, CSP violations and requests, so a
// test can assert that nothing went wrong besides the behaviour it checks.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const TESTS_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO = join(TESTS_DIR, "..", "..");
export const ARTIFACTS = join(TESTS_DIR, "artifacts");
mkdirSync(ARTIFACTS, { recursive: true });

/** The playground URL (with trailing slash), set by run.mjs. */
export const BASE = (() => {
  const u = process.env.PYWARD_URL;
  if (!u) throw new Error("PYWARD_URL is not set: run the suite with `node web/tests/run.mjs`");
  return u.endsWith("/") ? u : u + "/";
})();
export const ORIGIN = new URL(BASE).origin;

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `get` until `check(value)` stops throwing (use assert inside it) or `timeout` ms pass;
 * then rethrows the last assertion error, so a failure shows the real difference.
 */
export async function poll(get, check, { timeout = 10_000, interval = 50 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await get();
    try {
      await check(value);
      return value;
    } catch (e) {
      if (Date.now() > end) throw e;
    }
    await sleep(interval);
  }
}

// Recorded in every page before any app script runs.
function initRecorder() {
  window.__pw = { csp: [] };
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__pw.csp.push({
      directive: e.violatedDirective,
      blocked: e.blockedURI,
      source: e.sourceFile,
      line: e.lineNumber,
      sample: e.sample,
    });
  });
}

/**
 * A fresh context and page on the playground, loaded and analysed.
 * opts: viewport, colorScheme, url (default BASE), wait ("findings" | "status" | "none"),
 *       permissions, contextOptions.
 */
export async function openApp(t, browser, opts = {}) {
  const context = await browser.newContext({
    viewport: opts.viewport || { width: 1280, height: 720 },
    deviceScaleFactor: 1,
    colorScheme: opts.colorScheme || "light",
    ...(opts.contextOptions || {}),
  });
  t.after(() => context.close().catch(() => {}));
  if (opts.permissions) await context.grantPermissions(opts.permissions, { origin: ORIGIN });
  await context.addInitScript(initRecorder);
  // Every request of the context, including the worker's and downloads.
  const contextRequests = [];
  context.on("request", (r) => contextRequests.push(r.url()));
  const page = await context.newPage();
  const env = makeEnv(context, page);
  env.contextRequests = contextRequests;
  env.response = await page.goto(opts.url || BASE);
  await waitReady(page, opts.wait || "status");
  return { context, page, env };
}

/** Attaches the recorders of `env` to one page (pages opened later call this too). */
export function makeEnv(context, page, env = { consoleErrors: [], pageErrors: [], dialogs: [], requests: [], pages: [] }) {
  env.pages.push(page);
  page.on("console", (m) => {
    if (m.type() === "error") env.consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => env.pageErrors.push(String(e && e.stack ? e.stack : e)));
  page.on("dialog", (d) => {
    env.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on("request", (r) => env.requests.push(r.url()));
  env.csp = async () => {
    const all = [];
    for (const p of env.pages) {
      if (!p.isClosed()) all.push(...(await p.evaluate(() => (window.__pw ? window.__pw.csp : [])).catch(() => [])));
    }
    return all;
  };
  /** No console error, page error, dialog or CSP violation so far. */
  env.assertClean = async (what = "") => {
    const all = await env.csp();
    // Typing over a selection in a contenteditable makes Chromium's own editing code insert
    // style="..." spans before CodeMirror re-renders the line. The policy blocks them (that is
    // the point of style-src 'self'), the text is unaffected, and no page script is involved: such
    // reports have directive style-src-attr and no source file. Everything else counts.
    const native = all.filter((v) => v.directive === "style-src-attr" && !v.source);
    const csp = all.filter((v) => !native.includes(v)).map((v) => `${v.directive} blocked=${v.blocked} source=${v.source || "?"}:${v.line}`);
    const consoleErrors = env.consoleErrors.filter((m) => !(native.length && /^Applying inline style violates/.test(m)));
    assert.deepEqual(
      {
        consoleErrors: summarize(consoleErrors),
        pageErrors: summarize(env.pageErrors),
        dialogs: summarize(env.dialogs),
        cspViolations: summarize(csp),
      },
      { consoleErrors: [], pageErrors: [], dialogs: [], cspViolations: [] },
      `unexpected errors ${what}`,
    );
  };
  return env;
}

/** Distinct messages (shortened) with their repeat counts, to keep failure output readable. */
function summarize(list) {
  const counts = new Map();
  for (const m of list) {
    const k = m.length > 160 ? m.slice(0, 160) + "…" : m;
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  return [...counts].map(([k, n]) => (n > 1 ? `${n}× ${k}` : k));
}

/** Waits for the engine's first answer ("status": any status code; "findings": a finding row). */
export async function waitReady(page, wait) {
  if (wait === "none") return;
  if (wait === "findings") {
    await page.locator("[data-testid=finding]").first().waitFor({ timeout: 20_000 });
    return;
  }
  await poll(
    () => page.locator("[data-testid=status]").innerText().catch(() => ""),
    (s) => assert.match(s, /NO_ACTIONABLE_INPUT|NO_SECURITY_ISSUES|FINDINGS/),
    { timeout: 20_000 },
  );
}

export const content = (page) => page.locator("[data-testid=editor] .cm-content");

/**
 * Replaces the editor text with `text`, paste-like (no auto-indent). The old text is deleted
 * first: typing or inserting over a multi-line selection makes Chromium's editing code add
 * inline style attributes, which the CSP blocks and reports (see the known-bug test in
 * editor.test.mjs), and which would drown the other tests' clean-console checks.
 */
export async function setCode(page, text) {
  await content(page).click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  if (text) await page.keyboard.insertText(text);
}

/**
 * Replaces the editor text by a real paste (Ctrl+V) of `text` from the clipboard; the context
 * needs the clipboard-read/clipboard-write permissions. For large texts: keyboard.insertText
 * goes through Chromium's native contenteditable insertion, which takes ~40 s for 2,000 lines.
 */
export async function pasteCode(page, text) {
  await content(page).click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press("Control+V");
}

/** The editor's text, read line by line from CodeMirror's DOM (only rendered lines!). */
export function editorText(page) {
  return page.locator("[data-testid=editor] .cm-line").evaluateAll((els) => els.map((e) => e.textContent).join("\n"));
}

/** [rule, line] of every finding row, in list order. */
export function rows(page) {
  return page
    .locator("[data-testid=finding]")
    .evaluateAll((els) => els.map((e) => ({ rule: e.dataset.rule, severity: e.dataset.severity, line: Number(e.dataset.line) })));
}

export const pairs = (rs) => rs.map((r) => `${r.line} ${r.rule}`).sort();

export async function status(page) {
  return page.locator("[data-testid=status]").innerText();
}

export async function count(page, sev) {
  return Number(await page.locator(`[data-testid=count-${sev}]`).innerText());
}

/** Loads an example through the Examples menu. */
export async function loadExample(page, name) {
  await page.selectOption("[data-testid=examples]", name);
}

/**
 * Every severity underline in the editor with its line number, scrolling the editor from top to
 * bottom (CodeMirror only renders the visible part of a long document). The line number is the
 * gutter number at the underline's height.
 */
export async function collectUnderlines(page) {
  const found = new Map();
  await page.locator("[data-testid=editor] .cm-scroller").evaluate((s) => (s.scrollTop = 0));
  for (let i = 0; i < 200; i++) {
    await sleep(60); // let CodeMirror draw the newly visible lines
    const batch = await page.locator("[data-testid=editor] .cm-editor").evaluate((ed) => {
      const nums = [...ed.querySelectorAll(".cm-lineNumbers .cm-gutterElement")]
        .map((g) => ({ r: g.getBoundingClientRect(), n: Number(g.textContent) }))
        .filter((g) => g.r.height > 0 && g.n > 0);
      const out = [];
      for (const el of ed.querySelectorAll(".cm-content [class*='cm-pw-']")) {
        const sev = [...el.classList].find((c) => /^cm-pw-(critical|high|medium|low|error)$/.test(c));
        if (!sev) continue;
        const r = el.getBoundingClientRect();
        const y = r.top + Math.min(r.height, 18) / 2;
        const g = nums.find((g) => y >= g.r.top && y < g.r.bottom);
        out.push({ severity: sev.slice(6), text: el.textContent, line: g ? g.n : null });
      }
      const s = ed.querySelector(".cm-scroller");
      const done = s.scrollTop + s.clientHeight >= s.scrollHeight - 2;
      s.scrollTop += Math.max(100, s.clientHeight * 0.7);
      return { out, done };
    });
    for (const u of batch.out) found.set(`${u.line}|${u.severity}|${u.text}`, u);
    if (batch.done) break;
  }
  await page.locator("[data-testid=editor] .cm-scroller").evaluate((s) => (s.scrollTop = 0));
  return [...found.values()];
}

/**
 * Walks the document and every open shadow root (where document.querySelector does not reach)
 * and describes the <img>, <b>, <script> and <iframe> elements found.
 */
export function deepElements(page) {
  return page.evaluate(() => {
    const out = { img: [], b: [], script: [], iframe: [], shadowRoots: 0 };
    const visit = (root) => {
      for (const el of root.querySelectorAll("*")) {
        const tag = el.tagName.toLowerCase();
        if (tag === "img") out.img.push({ src: el.getAttribute("src"), resolved: el.src, onerror: el.getAttribute("onerror") });
        if (tag === "b") out.b.push(el.textContent);
        if (tag === "script") out.script.push(el.getAttribute("src") || "inline:" + el.textContent.slice(0, 60));
        if (tag === "iframe") out.iframe.push(el.getAttribute("src"));
        if (el.shadowRoot) {
          out.shadowRoots++;
          visit(el.shadowRoot);
        }
      }
    };
    visit(document);
    return out;
  });
}

/** The expected (line rule) pairs of an example, from web/examples/EXPECTED.md. */
export function expectedFindings(file) {
  const md = readFileSync(join(REPO, "web", "examples", "EXPECTED.md"), "utf8");
  const name = file.endsWith(".py") ? file : file + ".py";
  const sec = md.split(/^## /m).find((s) => s.startsWith(name + "\n"));
  if (!sec) throw new Error(`no section for ${file} in EXPECTED.md`);
  const block = sec.match(/```\n([\s\S]*?)```/);
  if (!block) return [];
  return block[1]
    .trim()
    .split("\n")
    .map((l) => {
      const m = l.match(/^(\d+):(\d+) (\w+) (\S+)$/);
      return { line: Number(m[1]), column: Number(m[2]), severity: m[3].toLowerCase(), rule: m[4] };
    });
}

/** Rule ids by family, and the rules with an autofix, read from rules/<family>/*.yaml. */
export function ruleCatalog() {
  const rulesDir = join(REPO, "rules");
  const rules = [];
  for (const dir of readdirSync(rulesDir, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(join(rulesDir, dir.name))) {
      if (!f.endsWith(".yaml")) continue;
      const text = readFileSync(join(rulesDir, dir.name, f), "utf8");
      const id = (text.match(/^\s*- id:\s*(\S+)/m) || [])[1];
      const family = (text.match(/^\s+family:\s*(\S+)/m) || [])[1];
      rules.push({ id, family, hasFix: /^ {4}fix(-regex)?:/m.test(text), yaml: join(rulesDir, dir.name, f) });
    }
  }
  return rules;
}

/** Saves a screenshot under web/tests/artifacts/ and returns its path. */
export async function shot(page, name, opts = {}) {
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path, ...opts });
  return path;
}

/**
 * Share of the pixels of a PNG (a Buffer from page.screenshot) within `tol` per channel of the
 * colour `rgb` ([r, g, b]). Decoded with a canvas in a blank page of a separate context.
 */
export async function colourShare(browser, png, rgb, tol = 12) {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    return await page.evaluate(
      async ({ src, rgb, tol }) => {
        const img = new Image();
        img.src = src;
        await img.decode();
        const c = document.createElement("canvas");
        c.width = img.naturalWidth;
        c.height = img.naturalHeight;
        const g = c.getContext("2d");
        g.drawImage(img, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data;
        let hit = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (Math.abs(d[i] - rgb[0]) <= tol && Math.abs(d[i + 1] - rgb[1]) <= tol && Math.abs(d[i + 2] - rgb[2]) <= tol) hit++;
        }
        return hit / (d.length / 4);
      },
      { src: "data:image/png;base64," + png.toString("base64"), rgb, tol },
    );
  } finally {
    await ctx.close();
  }
}

/** [r, g, b] of a CSS rgb()/rgba() colour. */
export function rgbOf(css) {
  const m = css.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/);
  if (!m) throw new Error(`not an rgb colour: ${css}`);
  return m.slice(1, 4).map(Number);
}

/**
 * Elements sticking out of the viewport horizontally, except those inside `skip` (a selector:
 * code blocks and the editor scroll inside their own box), and the page's scroll and client widths.
 */
export function overflow(page, skip) {
  return page.evaluate((skip) => {
    const w = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll("body *")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || !el.checkVisibility()) continue;
      if (el.closest(skip)) continue;
      if (r.right > w + 1 || r.left < -1) out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: w, out: out.slice(0, 10) };
  }, skip);
}
