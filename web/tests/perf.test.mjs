// Responsiveness with a 10,000-line file: analysis runs in the worker, so the page keeps
// running timers and frames and accepts keystrokes while a large file is analysed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, openApp, pasteCode, poll, setCode, sleep, status } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

// Largest main-thread stalls accepted (ms), calibrated on a 2-core machine with software
// rendering; override with the env variables. Observed over several runs:
//   while the worker analyses (phase B windows)   56-134 ms  -> limit 250
//   phase B overall (typing into 10k lines)        71-209 ms  -> limit 300 (the first keystroke
//                                                  on the big document costs CodeMirror up to ~200 ms)
//   phase A (300 kB paste + first result)         148-348 ms -> limit 500 (CodeMirror parse slices
//                                                  of ~100 ms, plus ~150 ms to render 128 findings)
//   keystroke round-trips (CDP)                    21-180 ms  -> limit 250
// A main-thread analysis would stall for the whole analysis (0.3-0.9 s for this file).
const MAX_GAP_MS = Number(process.env.PYWARD_MAX_GAP_MS || 250);
const MAX_GAP_MS_TYPING = Number(process.env.PYWARD_MAX_GAP_MS_TYPING || 300);
const MAX_GAP_MS_PASTE = Number(process.env.PYWARD_MAX_GAP_MS_PASTE || 500);

/** ~10,000 lines of ordinary Python: request handlers, a service class, helpers; some findings. */
function bigSource(targetLines = 10_000) {
  const out = [
    '"""Generated inventory service, used by the responsiveness test."""',
    "import os",
    "import sqlite3",
    "import subprocess",
    "",
    "",
  ];
  let i = 0;
  while (out.length < targetLines - 40) {
    out.push(
      `def list_items_${i}(request, db):`,
      `    """Return the items of shelf ${i} as dictionaries."""`,
      '    term = request.args.get("q", "")',
      '    rows = db.execute("SELECT id, name, qty FROM items WHERE shelf = ? AND name LIKE ?", (' + i + ', f"%{term}%")).fetchall()',
      "    result = []",
      "    for item_id, name, qty in rows:",
      `        if qty > ${i % 7}:`,
      '            result.append({"id": item_id, "name": name.title(), "qty": qty})',
      "    return result",
      "",
      "",
      `class Shelf${i}:`,
      "    def __init__(self, name, capacity=100):",
      "        self.name = name",
      "        self.capacity = capacity",
      "        self.items = []",
      "",
      "    def add(self, item):",
      "        if len(self.items) >= self.capacity:",
      '            raise ValueError("shelf is full")',
      "        self.items.append(item)",
      "        return len(self.items)",
      "",
    );
    if (i % 4 === 0) {
      out.push("    def archive(self, path):", '        os.system("tar czf " + path + " " + self.name)', "");
    } else {
      out.push("    def archive(self, path):", '        subprocess.run(["tar", "czf", path, self.name], check=True)', "");
    }
    if (i % 10 === 5) {
      out.push("    def restore(self, expr):", "        return eval(expr)", "");
    }
    out.push("");
    i++;
  }
  while (out.length < targetLines) out.push(`# padding line ${out.length + 1}`);
  return out.join("\n") + "\n";
}

/**
 * Starts a main-thread monitor in the page: a setTimeout(0) loop and a requestAnimationFrame loop
 * record every gap between their ticks; a MutationObserver records when analysis-info changes
 * ("· updating…" = a request went to the worker; "N lines · analysed in X ms" = a result landed).
 */
function startMonitor(page) {
  return page.evaluate(() => {
    const m = (window.__mon = { gaps: [], timerTicks: 0, frames: 0, stop: false, results: [], keys: [], started: performance.now() });
    const at = (now) => Math.round(now - m.started);
    let lastT = performance.now();
    const tick = () => {
      const now = performance.now();
      if (now - lastT > 20) m.gaps.push({ kind: "timer", start: at(lastT), end: at(now) });
      lastT = now;
      m.timerTicks++;
      if (!m.stop) setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
    let lastF = performance.now();
    const frame = (now) => {
      if (now - lastF > 20) m.gaps.push({ kind: "frame", start: at(lastF), end: at(now) });
      lastF = now;
      m.frames++;
      if (!m.stop) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    const info = document.querySelector("[data-testid=analysis-info]");
    m.obs = new MutationObserver(() => m.results.push({ at: at(performance.now()), text: info.textContent }));
    m.obs.observe(info, { childList: true, characterData: true, subtree: true });
    // `busy`: the worker was analysing when the key was sent (analysis-info says "updating…").
    m.mark = (label) => m.keys.push({ at: at(performance.now()), label, busy: /updating/.test(info.textContent) });
  });
}

function stopMonitor(page) {
  return page.evaluate(() => {
    const m = window.__mon;
    m.stop = true;
    m.obs.disconnect();
    const { obs, mark, ...rest } = m;
    return { ...rest, elapsed: Math.round(performance.now() - m.started) };
  });
}

const maxGap = (m, kind, from = -Infinity, to = Infinity) =>
  Math.max(0, ...m.gaps.filter((g) => g.kind === kind && g.end > from && g.start < to).map((g) => g.end - g.start));

/** Intervals during which the worker was analysing: from "updating…" to the next result. */
function analysisWindows(m) {
  const out = [];
  let open = null;
  for (const r of m.results) {
    if (/updating/.test(r.text)) open ??= r.at;
    else if (open !== null && /analysed in/.test(r.text)) {
      out.push([open, r.at]);
      open = null;
    }
  }
  return out;
}

const describe = (m) =>
  `${m.elapsed} ms window: max timer gap ${maxGap(m, "timer")} ms (${m.timerTicks} ticks), max frame gap ` +
  `${maxGap(m, "frame")} ms (${m.frames} frames); gaps > 60 ms: ` +
  (m.gaps.filter((g) => g.end - g.start > 60).map((g) => `${g.kind} ${g.end - g.start}ms@${g.start}`).join(", ") || "none") +
  `; analysis-info changes: ${m.results.map((r) => `${r.at}ms "${r.text}"`).join(", ")}` +
  (m.keys.length ? `; keys at ${m.keys.map((k) => `${k.at}ms`).join(",")}` : "");

/**
 * Waits until the page's main thread is idle (no timer gap over 50 ms for 500 ms), so CodeMirror
 * has finished parsing the paste before phase B; returns how long that took.
 */
function waitQuiet(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const start = performance.now();
        let last = start;
        let quietSince = start;
        const tick = () => {
          const now = performance.now();
          if (now - last > 50) quietSince = now;
          last = now;
          if (now - quietSince >= 500 || now - start > 15_000) resolve(Math.round(now - start));
          else setTimeout(tick, 0);
        };
        setTimeout(tick, 0);
      }),
  );
}

const infoRe = (lines) => new RegExp(`^${lines} lines · analysed in [\\d.]+ ms$`);

test("7. 10,000 lines: the UI thread stays responsive while the worker analyses", { timeout: 120_000 }, async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings", permissions: ["clipboard-read", "clipboard-write"] });
  const src = bigSource();
  const lineCount = src.split("\n").length - 1;
  const expectedFindings = src.split("\n").filter((l) => l.includes("os.system(") || l.includes("return eval(")).length;
  const info = page.locator("[data-testid=analysis-info]");
  await setCode(page, "");
  await poll(() => status(page), (s) => assert.match(s, /NO_ACTIONABLE_INPUT/));

  // Phase A: a real paste (Ctrl+V) of the big file, its first analysis and CodeMirror's parse.
  let t0 = Date.now();
  await pasteCode(page, src);
  const pasteMs = Date.now() - t0;
  await startMonitor(page);
  await poll(() => info.innerText(), (s) => assert.match(s, infoRe(lineCount)), { timeout: 60_000 });
  await sleep(1500);
  const a = await stopMonitor(page);
  assert.match(await status(page), /FINDINGS/);
  assert.equal(await page.locator("[data-testid=finding]").count(), expectedFindings, "one row per generated finding");

  // Phase B: type on the big file, the second burst while the worker analyses the first.
  await page.keyboard.press("Control+End"); // scrolls to the end: layout work, not analysis
  await poll(() => page.locator("[data-testid=editor] .cm-activeLine").textContent(), (s) => assert.equal(s, ""));
  const quietAfter = await waitQuiet(page);
  await startMonitor(page);
  const keyMs = [];
  const typeKeys = async (text) => {
    for (const ch of text) {
      await page.evaluate((c) => window.__mon.mark(c), ch);
      t0 = Date.now();
      await page.keyboard.type(ch);
      keyMs.push(Date.now() - t0);
    }
  };
  await typeKeys("# ed");
  await poll(() => info.innerText(), (s) => assert.match(s, /updating…/), { interval: 10 });
  await typeKeys("ited"); // while the worker analyses "# ed"
  // A fast analysis may end before those keys land: type a space (and erase it) as soon as the
  // next analysis starts, until a key has gone in while the worker was busy.
  const busyKey = () => page.evaluate(() => window.__mon.keys.some((k) => k.busy));
  for (let i = 0; i < 20 && !(await busyKey()); i++) {
    await poll(() => info.innerText(), (s) => assert.match(s, /updating…/), { interval: 5 });
    await typeKeys(" ");
    await page.keyboard.press("Backspace");
  }
  const keysDone = Date.now();
  const finalLines = (src + "# edited").split("\n").length;
  const last = await poll(() => info.innerText(), (s) => assert.match(s, infoRe(finalLines)), { timeout: 60_000 });
  const remaining = 3000 - (Date.now() - keysDone);
  if (remaining > 0) await sleep(remaining);
  const b = await stopMonitor(page);
  const analysedMs = Number(last.match(/analysed in ([\d.]+) ms/)[1]);

  const windows = analysisWindows(b);
  const inAnalysis = Math.max(0, ...windows.map(([s, e]) => Math.max(maxGap(b, "timer", s, e), maxGap(b, "frame", s, e))));
  const keysDuringAnalysis = b.keys.filter((k) => k.busy || windows.some(([s, e]) => k.at >= s && k.at <= e)).length;
  t.diagnostic(
    `source: ${lineCount} lines, ${src.length} chars, ${expectedFindings} findings; last analysis ${analysedMs} ms ` +
      `(in the worker); paste (Ctrl+V) took ${pasteMs} ms`,
  );
  t.diagnostic(`phase A (paste, first analysis, CodeMirror parse): ${describe(a)}`);
  t.diagnostic(`main thread quiet ${quietAfter} ms after phase A`);
  t.diagnostic(`phase B (typing, re-analysis): key latencies ${keyMs.join(",")} ms; ${describe(b)}`);
  t.diagnostic(
    `phase B analysis windows ${JSON.stringify(windows)}: max gap inside them ${inAnalysis} ms; ` +
      `${keysDuringAnalysis} key(s) typed while the worker was analysing`,
  );

  assert.ok(a.results.some((r) => /analysed in/.test(r.text)), "the first result arrived inside phase A");
  assert.ok(windows.length >= 1, "phase B saw at least one analysis (updating… then a result)");
  assert.ok(keysDuringAnalysis >= 1, "keys were typed while an analysis ran");
  const aMax = Math.max(maxGap(a, "timer"), maxGap(a, "frame"));
  assert.ok(aMax < MAX_GAP_MS_PASTE, `phase A max gap ${aMax} ms < ${MAX_GAP_MS_PASTE} ms`);
  assert.ok(Math.max(...keyMs) < MAX_GAP_MS, `keystrokes handled in < ${MAX_GAP_MS} ms: ${keyMs}`);
  const bMax = Math.max(maxGap(b, "timer"), maxGap(b, "frame"));
  assert.ok(bMax < MAX_GAP_MS_TYPING, `phase B max gap ${bMax} ms < ${MAX_GAP_MS_TYPING} ms`);
  assert.ok(inAnalysis < MAX_GAP_MS, `max gap while the worker analyses ${inAnalysis} ms < ${MAX_GAP_MS} ms`);
  assert.equal(await page.locator("[data-testid=editor] .cm-line").last().textContent(), "# edited");
  assert.equal(await page.locator("[data-testid=finding]").count(), expectedFindings);
  await env.assertClean();
});
