// The analysis engine, off the UI thread. Protocol (all plain objects):
//   page -> worker  {kind: "analyze", seq, source, settings, tabs}
//                   (tabs: [{name, text}], every editor tab, the Python files and the dependency
//                   files; when given, `source` is only read for the workshop's annotations)
//                   {kind: "review", seq, tabs, settings, date}   (the review as a .zip)
//                   {kind: "export", seq, source, settings, format}
//                   {kind: "rules", seq, yaml}        (the user's own rules; "" removes them)
//                   {kind: "rule-yaml", id}           (a built-in rule as YAML, for the workshop)
//                   {kind: "explain", source, rule}   (how the rule matched, operator by operator)
//   worker -> page  {kind: "ready", catalog: {rules, families}, version, init_ms} | {kind: "failed", message}
//                   {kind: "result", seq, json, ms} | {kind: "export", format, text}
//                   {kind: "review", seq, bytes}      (the .zip, a Uint8Array)
//                   (json: the analysis as a JSON string)
//                   {kind: "rules", ok, count, catalog} | {kind: "rules", ok: false, message, line, column}
//                   (a result also has `annotations`: the code's # ruleid: / # ok: comments
//                   checked against the rules, as JSON; see crates/wasm/src/workshop.rs)
//                   {kind: "rule-yaml", id, text}     (text: "" for an unknown id)
//                   {kind: "explain", rule, json}     (json: crates/wasm/src/workshop.rs's Explanation)
//                   {kind: "error", seq, message}     (a refused request; the engine goes on)
//                   {kind: "crashed", seq, message}   (the page then starts a fresh worker)
import init, { Analyzer as CoreAnalyzer } from "./pyward_wasm.js";

// Two builds of the engine: pyward_wasm (loaded with the page) and pyward_full, the same engine
// with the dependency audit (requirements files, pyproject.toml, lock files), loaded only when a
// dependency file is analysed. After that the full build answers everything; the state the
// core build was given (the user's rules, the data files) is given to it again.
let Analyzer = CoreAnalyzer;
let analyzer = null;
const ready = init({ module_or_path: new URL("./pyward_wasm_bg.wasm", import.meta.url) })
  .then(() => {
    const t0 = performance.now();
    analyzer = new Analyzer();
    const init_ms = performance.now() - t0;
    postMessage({ kind: "ready", catalog: analyzer.catalog(), version: Analyzer.version(), init_ms });
  })
  .catch((e) => postMessage({ kind: "failed", message: "the analysis engine could not start: " + describe(e) }));

// What the engine was given, to give the full build too.
let userRules = ""; // the user's rules as last loaded successfully ("" for none)
let dependencyTexts = null; // [advisories, popular] once fetched
let namesBytes = null; // unicode-names.bin once fetched

let full = null;
function loadFull() {
  if (Analyzer.hasDependencyAudit()) return Promise.resolve(true);
  if (!full) {
    full = import("./pyward_full.js")
      .then(async (m) => {
        await m.default({ module_or_path: new URL("./pyward_full_bg.wasm", import.meta.url) });
        const next = new m.Analyzer();
        if (userRules) next.loadRules(userRules);
        if (dependencyTexts) next.setDependencyData(...dependencyTexts);
        if (namesBytes) m.Analyzer.setUnicodeNames(namesBytes);
        Analyzer = m.Analyzer;
        analyzer = next;
        return true;
      })
      .catch(() => {
        // Retried with the next analysis; meanwhile each dependency file's result says that
        // this build has no dependency audit.
        full = null;
        return false;
      });
  }
  return full;
}

// A file beside this script (same origin), or an error for an HTTP failure.
function fetchOwn(f) {
  return fetch(new URL(f, import.meta.url)).then((r) => {
    if (!r.ok) throw new Error(`${f}: HTTP ${r.status}`);
    return r;
  });
}

// The dependency audit's data (the advisory table and the popular package names): same-origin
// files fetched once, and only when a dependency file is analysed, so the page's first load
// never pays for them. A failed fetch is retried with the next analysis; meanwhile the engine
// says in the dependency file's result that known vulnerabilities were not checked.
let dependencyData = null;
function needsData(tabs) {
  return Array.isArray(tabs) && tabs.some((t) => Analyzer.isDependencyFile(t.name) && t.text.trim() !== "");
}
async function loadDependencyData() {
  if (!dependencyData) {
    dependencyData = Promise.all(["./advisories.tsv", "./popular.txt"].map((f) => fetchOwn(f).then((r) => r.text())))
      .then(([advisories, popular]) => {
        dependencyTexts = [advisories, popular];
        analyzer.setDependencyData(advisories, popular);
        return true;
      })
      .catch(() => {
        dependencyData = null;
        return false;
      });
  }
  return dependencyData;
}

// The Unicode name table for `\N{...}` escapes in strings: left out of the engine's wasm (113
// KB gzipped, for an escape few programs have) and fetched once, only when a text has `\N{`.
// If it cannot be loaded, the engine still analyses the file and says that those strings were
// not resolved (the file is then not reported clean).
let unicodeNames = null;
function needsNames(m) {
  const texts = [m.source, ...(Array.isArray(m.tabs) ? m.tabs.map((t) => t && t.text) : [])];
  return texts.some((t) => typeof t === "string" && t.includes("\\N{")) && !Analyzer.hasUnicodeNames();
}
async function loadUnicodeNames() {
  if (!unicodeNames) {
    unicodeNames = fetchOwn("./unicode-names.bin")
      .then((r) => r.arrayBuffer())
      .then((b) => {
        const bytes = new Uint8Array(b);
        const refused = Analyzer.setUnicodeNames(bytes);
        if (refused) throw new Error(refused);
        namesBytes = bytes;
        return true;
      })
      .catch(() => {
        unicodeNames = null;
        return false;
      });
  }
  return unicodeNames;
}

function describe(e) {
  return e && e.message ? e.message : String(e);
}

// The engine refuses a request with a plain Error (wasm-bindgen's JsError); anything else (a
// trap, a RangeError from a stack that ran out, wasm-bindgen's "recursive use of an object" once
// a trap left a borrow taken) means this instance may be broken, so it must not be used again:
// the page then starts a fresh worker.
function isCrash(e) {
  if (!(e instanceof Error) || e.constructor !== Error) return true;
  return /recursive use of an object|unreachable|memory access out of bounds/i.test(e.message);
}

onmessage = async (event) => {
  await ready;
  const m = event.data;
  if (!analyzer || !m) return;
  try {
    if (needsData(m.tabs)) {
      await loadFull();
      await loadDependencyData();
    }
    if (needsNames(m)) await loadUnicodeNames();
    if (m.kind === "analyze") {
      const t0 = performance.now();
      // The analysis as one JSON string: the page reads it in one piece (see web/src/json.rs).
      const json = Array.isArray(m.tabs) && m.tabs.length ? analyzer.analyzeTabsJson(m.tabs, m.settings) : analyzer.analyzeJson(m.source, m.settings);
      // The workshop's annotations: the editor's code (`source`, also sent with tabs).
      const annotations = analyzer.annotationsJson(m.source || "");
      postMessage({ kind: "result", seq: m.seq, json, annotations, ms: performance.now() - t0 });
    } else if (m.kind === "rules") {
      // loadRules answers a load error with its YAML position (the workshop's marker).
      const out = analyzer.loadRules(m.yaml);
      if (out.ok || !m.yaml) userRules = m.yaml || "";
      const reply = out.ok
        ? { kind: "rules", seq: m.seq, ok: true, count: out.count, catalog: analyzer.catalog() }
        : { kind: "rules", seq: m.seq, ok: false, message: out.message, line: out.line, column: out.column };
      postMessage(reply);
    } else if (m.kind === "explain") {
      postMessage({ kind: "explain", seq: m.seq, rule: m.rule, json: analyzer.explainJson(m.source, m.rule) });
    } else if (m.kind === "rule-yaml") {
      postMessage({ kind: "rule-yaml", id: m.id, text: Analyzer.builtinRuleYaml(m.id) || "" });
    } else if (m.kind === "export") {
      const text = Array.isArray(m.tabs) && m.tabs.length ? analyzer.exportTabs(m.tabs, m.settings, m.format) : analyzer.export(m.source, m.settings, m.format);
      postMessage({ kind: "export", seq: m.seq, format: m.format, text });
    } else if (m.kind === "review") {
      const bytes = analyzer.reviewZip(m.tabs, m.settings, m.date);
      postMessage({ kind: "review", seq: m.seq, bytes }, [bytes.buffer]);
    }
  } catch (e) {
    if (isCrash(e)) {
      // The instance may be unusable; the page replaces this worker.
      analyzer = null;
      postMessage({ kind: "crashed", seq: m.seq, message: describe(e) });
    } else {
      postMessage({ kind: "error", seq: m.seq, message: describe(e) });
    }
  }
};
