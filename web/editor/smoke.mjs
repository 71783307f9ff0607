// Smoke test for the editor bundle: serves web/editor on 127.0.0.1 (random port)
// under the playground's CSP, drives test.html in headless Chromium, checks the
// public API, and writes smoke.png (light) and smoke-dark.png.
//
// Usage: node smoke.mjs        (builds dist/editor.js first if it is missing)
// Env:   CHROMIUM=/path/to/chromium (default /usr/bin/chromium)
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";

const root = dirname(fileURLToPath(import.meta.url));
if (!existsSync(join(root, "dist/editor.js"))) {
  execFileSync(process.execPath, [join(root, "build.mjs")], { stdio: "inherit" });
}

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
};

const server = createServer(async (req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname === "/favicon.ico") {
    res.writeHead(204).end();
    return;
  }
  const rel = normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, "") || "test.html";
  const file = resolve(root, rel);
  if (!file.startsWith(root + sep) || rel.startsWith("node_modules")) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] || "application/octet-stream",
      "content-security-policy": CSP,
      "cache-control": "no-store",
    });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${!ok && detail !== "" ? " -- " + detail : ""}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run"],
});
try {
  const page = await browser.newPage({ viewport: { width: 980, height: 640 }, deviceScaleFactor: 1 });
  const consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  const external = [];
  page.on("request", (r) => !r.url().startsWith(base) && external.push(r.url()));

  await page.goto(base + "/test.html");
  await page.waitForFunction(() => window.pw && window.pw.ready, null, { timeout: 10000 });

  check("EditorView has class pw-editor", (await page.locator(".cm-editor.pw-editor").count()) === 1);
  check("line numbers shown", (await page.locator(".cm-lineNumbers .cm-gutterElement").count()) > 5);
  check("python syntax highlighting", await page.evaluate(() => {
    const kw = [...window.pw.q(".cm-line span")].find((s) => s.textContent === "def");
    return !!kw && getComputedStyle(kw).color !== getComputedStyle(window.pw.q(".cm-line")[0]).color;
  }));

  // --- marks
  const high = page.locator(".cm-pw-high");
  check(".cm-pw-high exists", (await high.count()) > 0);
  const highText = await page.evaluate(() =>
    [...window.pw.q(".cm-pw-high")].map((e) => e.textContent).join(""));
  check("high mark covers exactly conn.execute(query)", highText === "conn.execute(query)", highText);
  const mediumText = await page.evaluate(() =>
    [...window.pw.q(".cm-pw-medium")].map((e) => e.textContent).join(""));
  check("medium mark covers exactly shell=True", mediumText === "shell=True", mediumText);
  check("high underline is orange wavy", await page.evaluate(() => {
    const cs = getComputedStyle(window.pw.q(".cm-pw-high")[0]);
    return cs.textDecorationStyle === "wavy" && cs.textDecorationColor === "rgb(232, 89, 12)"
      && cs.backgroundImage === "none";
  }));
  check("lint gutter markers", (await page.locator(".cm-gutter-lint .cm-lint-marker").count()) === 2);

  await high.first().hover();
  const tip = page.locator(".cm-tooltip-lint .cm-diagnosticText").first();
  await tip.waitFor({ timeout: 5000 }).catch(() => {});
  const tipText = (await tip.count()) ? await tip.textContent() : "";
  check("hover tooltip text", tipText === "HIGH · SQL query built from a formatted string", tipText);
  const srcText = await page.locator(".cm-tooltip-lint .cm-diagnosticSource").first().textContent().catch(() => "");
  check("tooltip shows rule id", srcText === "PW101", srcText);
  await page.mouse.move(900, 620);
  await page.waitForTimeout(300);

  // --- select
  const sel = await page.evaluate(() => {
    const [a, b] = window.pw.at("fetchall");
    window.pw.handle.select(a, b);
    return { want: b, got: window.pw.cursors.at(-1), text: window.pw.selText(),
      focused: window.pw.root().activeElement?.classList.contains("cm-content") };
  });
  check("select() moves cursor, selects text and focuses", sel.got === sel.want && sel.text === "fetchall" && sel.focused,
    JSON.stringify(sel));

  // --- trace
  const traceText = await page.evaluate(() => {
    const [a, b] = window.pw.at("name):");
    const [c, d] = window.pw.at("'{name}'", "{name}");
    window.pw.handle.setTrace(JSON.stringify([{ from: a, to: b - 2, label: "source: parameter" },
      { from: c, to: d, label: "flows into query" }]));
    return [...window.pw.q(".cm-pw-trace")].map((e) => e.textContent).join("|");
  });
  check("setTrace highlights ranges", traceText === "name|{name}", traceText);
  const traceTitle = await page.locator(".cm-pw-trace").first().getAttribute("title");
  check("trace label as title", traceTitle === "source: parameter", traceTitle);

  // --- setDoc / getDoc round trip with astral characters
  const emoji = await page.evaluate(() => {
    const h = window.pw.handle;
    const doc = "def f(y):\n    x = '😀'; eval(y)\n    return x\n";
    const n0 = window.pw.changes.length;
    h.setDoc(doc);
    const n1 = window.pw.changes.length;
    h.setDoc(doc); // identical: must not fire onChange again
    const n2 = window.pw.changes.length;
    const from = doc.indexOf("eval(y)");
    h.setMarks(JSON.stringify([{ from, to: from + 7, severity: "error", title: "eval of untrusted input", rule: "PW001" }]));
    return {
      same: h.getDoc() === doc, calls: n1 - n0, again: n2 - n1, lastChange: window.pw.changes.at(-1) === doc,
      marked: [...window.pw.q(".cm-pw-error")].map((e) => e.textContent).join(""),
      traceCleared: window.pw.q(".cm-pw-trace").length === 0,
      oldMarksCleared: window.pw.q(".cm-pw-high").length === 0,
    };
  });
  check("setDoc/getDoc round trip (emoji)", emoji.same);
  check("setDoc fires onChange exactly once", emoji.calls === 1 && emoji.lastChange, JSON.stringify(emoji));
  check("setDoc with identical text is a no-op", emoji.again === 0);
  check("setDoc clears old marks and trace", emoji.traceCleared && emoji.oldMarksCleared);
  check("mark at UTF-16 offsets underlines exactly eval(y)", emoji.marked === "eval(y)", emoji.marked);

  // --- zero-length + out-of-range marks, clamping
  const clamp = await page.evaluate(() => {
    const h = window.pw.handle;
    const doc = h.getDoc();
    const at = doc.indexOf("return");
    h.setMarks(JSON.stringify([
      { from: at, to: at, severity: "low", title: "zero", rule: "Z" },
      { from: 99999, to: doc.indexOf("x\n", at) , severity: "critical", title: "reversed+clamped", rule: "C" },
    ]));
    return {
      low: [...window.pw.q(".cm-pw-low")].map((e) => e.textContent).join(""),
      crit: [...window.pw.q(".cm-pw-critical")].map((e) => e.textContent).join(""),
    };
  });
  check("zero-length mark widened to one char", clamp.low === "r", clamp.low);
  check("reversed/out-of-range mark clamped", clamp.crit === "x\n" || clamp.crit === "x", JSON.stringify(clamp.crit));

  // --- undo of setDoc, replaceRange
  const undo = await page.evaluate(() => window.pw.handle.getDoc());
  await page.evaluate(() => window.pw.handle.setDoc("print('replaced')\n"));
  await page.evaluate(() => window.pw.handle.focus());
  await page.keyboard.press("Control+z");
  check("Ctrl-Z undoes setDoc", (await page.evaluate(() => window.pw.handle.getDoc())) === undo);
  const rep = await page.evaluate(() => {
    const h = window.pw.handle;
    const d = h.getDoc();
    const i = d.indexOf("eval(y)");
    h.replaceRange(i, i + 7, "ast.literal_eval(y)");
    return h.getDoc();
  });
  check("replaceRange applies a fix", rep.includes("'😀'; ast.literal_eval(y)"), rep);
  await page.keyboard.press("Control+z");
  check("replaceRange is undoable", (await page.evaluate(() => window.pw.handle.getDoc())) === undo);

  // --- search panel
  await page.evaluate(() => window.pw.handle.focus());
  await page.keyboard.press("Control+f");
  check("Ctrl-F opens search panel", (await page.locator(".cm-search").count()) === 1);
  await page.keyboard.press("Escape");

  // --- final screenshots: sample with all severities, a trace and an open tooltip
  await page.evaluate(() => {
    const pw = window.pw, h = pw.handle;
    h.setDoc(pw.SAMPLE);
    const m = (s, n, severity, title, rule) => { const [from, to] = pw.at(s, n); return { from, to, severity, title, rule }; };
    h.setMarks(JSON.stringify([
      m("conn.execute(query)", null, "high", "SQL query built from a formatted string", "PW101"),
      m("shell=True", null, "medium", "subprocess call with shell=True", "PW201"),
      m("import subprocess", "subprocess", "low", "subprocess module imported", "PW900"),
      m("result = subprocess.run(cmd", "subprocess.run(cmd", "critical", "Command injection: untrusted input reaches a shell", "PW202"),
    ]));
    const [a, b] = pw.at("name):", "name");
    const [c, d] = pw.at("'{name}'", "{name}");
    h.setTrace(JSON.stringify([{ from: a, to: b, label: "source" }, { from: c, to: d, label: "sink" }]));
    h.select(pw.at("self.items")[0], pw.at("self.items")[0]);
  });
  const gutter = await page.evaluate(() => Object.fromEntries(["critical", "high", "medium", "low"].map((s) => {
    const m = window.pw.q(`.cm-gutter-lint .cm-pw-gl-${s} .cm-lint-marker`)[0];
    return [s, m ? getComputedStyle(m).backgroundColor : null];
  })));
  check("gutter markers coloured by most severe mark on the line", gutter.critical === "rgb(164, 22, 26)" &&
    gutter.high === "rgb(232, 89, 12)" && gutter.medium === null && gutter.low === "rgb(43, 138, 62)",
    JSON.stringify(gutter));
  await page.locator(".cm-pw-high").first().hover();
  await page.locator(".cm-tooltip-lint").first().waitFor({ timeout: 5000 }).catch(() => {});
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(root, "smoke.png") });

  await page.mouse.move(900, 620);
  await page.evaluate(() => window.pw.handle.setDark(true));
  check("setDark(true) switches theme", await page.evaluate(() =>
    getComputedStyle(window.pw.q(".cm-editor")[0]).backgroundColor !== "rgb(255, 255, 255)"));
  await page.locator(".cm-pw-critical").first().hover();
  await page.locator(".cm-tooltip-lint").first().waitFor({ timeout: 5000 }).catch(() => {});
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(root, "smoke-dark.png") });
  await page.evaluate(() => window.pw.handle.setDark(false));
  check("setDark(false) restores light theme", await page.evaluate(() =>
    getComputedStyle(window.pw.q(".cm-editor")[0]).backgroundColor === "rgb(255, 255, 255)"));

  // --- re-entrant calls from inside onChange are deferred, not thrown
  const reent = await page.evaluate(async () => {
    const h = window.pw.handle, before = h.getDoc();
    window.pw.hook = (doc) => { if (doc.includes("LOOP")) { h.setDoc(doc.replace("LOOP", "done")); h.setMarks("[]"); } };
    h.setDoc("LOOP\n");
    await new Promise((r) => setTimeout(r, 50));
    window.pw.hook = null;
    const after = h.getDoc();
    h.setDoc(before);
    return after;
  });
  check("setDoc called from inside onChange is applied after the update", reent === "done\n", JSON.stringify(reent));

  // --- real typing reaches onChange
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("x = 1");
  const typed = await page.evaluate(() => ({ doc: window.pw.handle.getDoc(), last: window.pw.changes.at(-1) }));
  check("typing edits the document and calls onChange", typed.doc.endsWith("\nx = 1") && typed.last === typed.doc,
    JSON.stringify(typed.doc.slice(-20)));

  // --- destroy
  check("destroy() removes the editor", await page.evaluate(() => {
    window.pw.handle.destroy();
    return document.querySelectorAll(".pw-editor-host").length === 0 && !document.querySelector("#editor").firstChild;
  }));

  const csp = await page.evaluate(() => window.pw.csp);
  check("no CSP violations", csp.length === 0, csp.join("; "));
  check("no console errors", consoleErrors.length === 0, consoleErrors.join("; "));
  check("no requests outside the local server", external.length === 0, external.join(" "));
} catch (e) {
  check("smoke run completed", false, e && e.stack ? e.stack : String(e));
} finally {
  await browser.close();
  server.close();
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
