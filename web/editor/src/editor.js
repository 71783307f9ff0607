// pyward playground editor: CodeMirror 6, bundled by esbuild into one ES module.
//
// The Rust/Yew app drives it through wasm-bindgen:
//   createEditor(parent, doc, onChange, onCursor) -> EditorHandle
// onChange(doc) follows every edit; onCursor(pos) follows the user's cursor moves (clicks and
// keys that leave an empty selection), not edits and not the app's own select().
// All positions are UTF-16 code-unit offsets (what CodeMirror and JS strings use).
//
// CSP note: the page runs with `default-src 'self'; style-src 'self'`, so this
// file uses no eval, no inline <style>, no style attributes, and no data: URLs
// in CSS (img-src falls back to 'self', which would block the SVG underlines and
// gutter icons that @codemirror/lint ships; they are overridden below).
// CodeMirror's own CSS goes through adoptedStyleSheets (constructable sheets),
// which style-src does not restrict.

import { Annotation, EditorState, Compartment, StateEffect, StateField, RangeSet, RangeSetBuilder, Prec } from "@codemirror/state";
import {
  EditorView,
  Decoration,
  keymap,
  lineNumbers,
  highlightActiveLineGutter,
  highlightSpecialChars,
  drawSelection,
  dropCursor,
  rectangularSelection,
  crosshairCursor,
  highlightActiveLine,
  GutterMarker,
  gutterLineClass,
  gutter,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  bracketMatching,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
  HighlightStyle,
  LanguageSupport,
} from "@codemirror/language";
// The Python language without python()'s completion sources: the editor has no autocompletion
// extension to use them, and they pull @codemirror/autocomplete into the bundle.
import { pythonLanguage } from "@codemirror/lang-python";
// YAML for the rule workshop's editor, likewise without the completion sources.
import { yamlLanguage } from "@codemirror/lang-yaml";
import { forEachDiagnostic, lintGutter, lintKeymap, setDiagnostics } from "@codemirror/lint";
import { search, searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { oneDark } from "@codemirror/theme-one-dark";
import { tags as t } from "@lezer/highlight";

// ---------------------------------------------------------------------------
// Themes

const MONO =
  'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace';
const SANS =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

const lightTheme = EditorView.theme(
  {
    "&": { color: "#1f2328", backgroundColor: "#ffffff" },
    ".cm-content": { caretColor: "#1f2328" },
    ".cm-cursor, .cm-dropCursor": { borderLeftColor: "#1f2328" },
    "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection":
      { backgroundColor: "#b6d7ff" },
    // Translucent, so the selection layer beneath the text stays visible.
    ".cm-activeLine": { backgroundColor: "rgba(47, 111, 222, 0.05)" },
    ".cm-selectionMatch": { backgroundColor: "#e3edd2" },
    "&.cm-focused .cm-matchingBracket": { backgroundColor: "#d3e5ff", outline: "1px solid #9ec3f7" },
    "&.cm-focused .cm-nonmatchingBracket": { backgroundColor: "#ffd7d5" },
    ".cm-gutters": { backgroundColor: "#f6f8fa", color: "#57606a", borderRight: "1px solid #e1e4e8" },
    ".cm-activeLineGutter": { backgroundColor: "#eaeef2", color: "#1f2328" },
    ".cm-searchMatch": { backgroundColor: "#fff1a8", outline: "1px solid #e3c000" },
    ".cm-searchMatch.cm-searchMatch-selected": { backgroundColor: "#ffd33d" },
    ".cm-panels": { backgroundColor: "#f6f8fa", color: "#1f2328" },
    ".cm-panels.cm-panels-bottom": { borderTop: "1px solid #d0d7de" },
    ".cm-panels.cm-panels-top": { borderBottom: "1px solid #d0d7de" },
    ".cm-tooltip": { backgroundColor: "#ffffff", color: "#1f2328", border: "1px solid #d0d7de" },
  },
  { dark: false },
);

// GitHub-like light syntax colours.
const lightHighlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword], color: "#cf222e" },
  { tag: [t.bool, t.null, t.self, t.atom], color: "#0550ae" },
  { tag: [t.number, t.integer, t.float], color: "#0550ae" },
  { tag: [t.string, t.special(t.string), t.regexp], color: "#0a3069" },
  { tag: [t.escape], color: "#116329" },
  { tag: [t.comment, t.lineComment, t.blockComment], color: "#6e7781", fontStyle: "italic" },
  { tag: [t.function(t.definition(t.variableName)), t.function(t.variableName)], color: "#8250df" },
  { tag: [t.definition(t.className), t.className], color: "#953800" },
  { tag: [t.function(t.propertyName)], color: "#8250df" },
  { tag: [t.propertyName], color: "#0550ae" },
  { tag: [t.standard(t.variableName)], color: "#0550ae" },
  { tag: [t.meta, t.annotation], color: "#953800" },
  { tag: [t.operator], color: "#cf222e" },
  { tag: [t.punctuation, t.bracket, t.paren, t.squareBracket, t.brace], color: "#57606a" },
  { tag: t.invalid, color: "#82071e" },
]);

const light = [lightTheme, syntaxHighlighting(lightHighlight)];
// One Dark on the page's dark panel colour, with brighter grey for line numbers and comments:
// its own (#7d8799 on #282c34) is 3.9:1, under WCAG's 4.5:1 for text.
const darkFix = [
  EditorView.theme(
    {
      "&": { backgroundColor: "#1e2227" },
      ".cm-gutters": { backgroundColor: "#1e2227", color: "#9aa4ae" },
      ".cm-activeLineGutter": { color: "#e6e8eb" },
    },
    { dark: true },
  ),
  syntaxHighlighting(HighlightStyle.define([{ tag: [t.meta, t.comment], color: "#9aa4ae" }])),
];
const dark = [Prec.high(darkFix), oneDark];

// Severity colours: [light, dark].
const SEV = {
  critical: ["#a4161a", "#ff6b6b"],
  high: ["#e8590c", "#ff922b"],
  medium: ["#c99700", "#ffd43b"],
  low: ["#2b8a3e", "#69db7c"],
  error: ["#e03131", "#ff6b6b"],
};

function sevTheme() {
  const spec = {
    // Kill lint's data:-URL underline (blocked by CSP img-src) for our marks.
    ".cm-lintRange": { backgroundImage: "none", paddingBottom: "0" },
    ".cm-lintRange-error": { textDecoration: "underline wavy #e03131", textDecorationSkipInk: "none", textUnderlineOffset: "3px" },
    ".cm-lintRange-warning": { textDecoration: "underline wavy #c99700", textDecorationSkipInk: "none", textUnderlineOffset: "3px" },
    ".cm-lintRange-info": { textDecoration: "underline wavy #2b8a3e", textDecorationSkipInk: "none", textUnderlineOffset: "3px" },
    ".cm-lintRange-hint": { textDecoration: "underline dotted #6e7781", textDecorationSkipInk: "none", textUnderlineOffset: "3px" },

    // Gutter icons drawn with plain CSS instead of data: SVGs.
    ".cm-gutter-lint": { width: "1.25em" },
    ".cm-gutter-lint .cm-gutterElement": { padding: "0", display: "flex", alignItems: "center", justifyContent: "center" },
    ".cm-gutter-lint .cm-lint-marker": {
      content: "normal",
      width: ".62em",
      height: ".62em",
      borderRadius: "50%",
      boxSizing: "border-box",
    },
    ".cm-gutter-lint .cm-lint-marker-error": { backgroundColor: "#e8590c", border: "1px solid #c2410c" },
    ".cm-gutter-lint .cm-lint-marker-warning": { backgroundColor: "#f2c200", border: "1px solid #c99700" },
    ".cm-gutter-lint .cm-lint-marker-info": { backgroundColor: "#40c057", border: "1px solid #2b8a3e" },
    ".cm-gutter-lint .cm-lint-marker-hint": { backgroundColor: "#adb5bd", border: "1px solid #868e96" },

    // Tooltip / diagnostic list.
    ".cm-tooltip.cm-tooltip-hover, .cm-tooltip.cm-tooltip-lint": {
      borderRadius: "6px",
      boxShadow: "0 4px 14px rgba(0,0,0,.14)",
      overflow: "hidden",
    },
    ".cm-tooltip-lint": { maxWidth: "min(520px, 90vw)" },
    ".cm-diagnostic": { fontFamily: SANS, fontSize: "13px", lineHeight: "1.45", padding: "6px 10px 6px 9px" },
    ".cm-diagnostic + .cm-diagnostic": { borderTop: "1px solid rgba(128,128,128,.25)" },
    ".cm-diagnosticSource": { fontFamily: MONO, fontSize: "11px", opacity: ".65", marginTop: "2px" },
    ".cm-pw-badge": {
      display: "inline-block",
      fontSize: "10.5px",
      fontWeight: "700",
      letterSpacing: ".04em",
      padding: "0 5px",
      borderRadius: "3px",
      color: "#fff",
      lineHeight: "1.6",
      verticalAlign: "1px",
    },
    ".cm-pw-badge-medium": { color: "#3d2e00" },

    // Data-flow trace highlight: blue steps, a green source and a red sink, each numbered by a
    // small badge over its first character (absolutely placed, so the text does not move).
    // Trace steps are outlined, not filled: a mark's background paints over the selection
    // layer, and the selected finding's own range is one of its steps.
    ".cm-pw-trace": { outline: "1.5px solid rgba(80,140,255,.75)", borderRadius: "2px" },
    ".cm-pw-trace-source": { outlineColor: "rgba(47,158,68,.85)" },
    ".cm-pw-trace-sink": { outlineColor: "rgba(224,49,49,.8)" },
    "&dark .cm-pw-trace": { outlineColor: "rgba(120,170,255,.85)" },
    "&dark .cm-pw-trace-source": { outlineColor: "rgba(105,219,124,.85)" },
    "&dark .cm-pw-trace-sink": { outlineColor: "rgba(255,107,107,.85)" },
    ".cm-pw-trace-n": { position: "relative" },
    ".cm-pw-trace-n::before": {
      content: "attr(data-pw-step)",
      position: "absolute",
      // Centred on the range's left edge, in the gap above the line, so it hides little text.
      left: "-.8em",
      top: "-1.08em",
      zIndex: "1",
      minWidth: "1.25em",
      padding: "0 3px",
      boxSizing: "border-box",
      borderRadius: "7px",
      fontFamily: SANS,
      fontSize: "9.5px",
      fontWeight: "700",
      fontStyle: "normal",
      lineHeight: "1.35",
      textAlign: "center",
      textDecoration: "none",
      color: "#fff",
      backgroundColor: "#2f6fde",
      pointerEvents: "none",
    },
    ".cm-pw-trace-n-source::before": { backgroundColor: "#1e7434" },
    ".cm-pw-trace-n-sink::before": { backgroundColor: "#c92a2a" },
    "&dark .cm-pw-trace-n::before": { color: "#111418", backgroundColor: "#74a7ff" },
    "&dark .cm-pw-trace-n-source::before": { backgroundColor: "#69db7c" },
    "&dark .cm-pw-trace-n-sink::before": { backgroundColor: "#ff8787" },
  };
  for (const [sev, [lc, dc]] of Object.entries(SEV)) {
    const line = sev === "critical" ? "solid" : "wavy";
    const deco = {
      textDecorationLine: "underline",
      textDecorationStyle: line,
      textDecorationColor: lc,
      textDecorationThickness: sev === "critical" ? "2px" : "1.5px",
      textDecorationSkipInk: "none",
      textUnderlineOffset: "3px",
    };
    // No background tint, even for critical: a mark's background paints over the selection
    // layer and would hide the selected range (the solid 2px line marks critical instead).
    spec[".cm-lintRange.cm-pw-" + sev] = deco;
    spec["&dark .cm-lintRange.cm-pw-" + sev] = { textDecorationColor: dc };
    spec[".cm-pw-badge-" + sev] = { backgroundColor: lc };
    spec[".cm-gutter-lint .cm-pw-gl-" + sev + " .cm-lint-marker"] = { backgroundColor: lc, borderColor: lc };
    spec["&dark .cm-gutter-lint .cm-pw-gl-" + sev + " .cm-lint-marker"] = { backgroundColor: dc, borderColor: dc };
    // Colour the tooltip's left bar by the exact severity.
    spec[".cm-diagnostic:has(.cm-pw-badge-" + sev + ")"] = { borderLeftColor: lc };
  }
  return EditorView.baseTheme(spec);
}

const baseLayout = EditorView.baseTheme({
  "&": { height: "100%", fontSize: "14px" },
  "&.cm-focused": { outline: "none" },
  ".cm-scroller": { fontFamily: MONO, lineHeight: "1.55", overflow: "auto" },
  ".cm-content": { padding: "6px 0" },
  ".cm-lineNumbers .cm-gutterElement": { padding: "0 8px 0 12px", minWidth: "2.5em" },
  ".cm-panel.cm-search": { fontFamily: SANS, fontSize: "13px", padding: "6px 8px" },
  ".cm-panel.cm-search input, .cm-panel.cm-search button, .cm-panel.cm-search label": { fontSize: "13px" },
  ".cm-tooltip": { fontFamily: SANS },
});

// ---------------------------------------------------------------------------
// Trace highlighting (a plain decoration field)

const setTraceEffect = StateEffect.define();
const TRACE_KINDS = new Set(["source", "step", "sink"]);

// One step's mark (CodeMirror splits it into one element per line and per syntax token, each
// with these attributes), and the number badge, a mark on the step's first character only so it
// is drawn once. Attributes are set with setAttribute, so labels (which quote user code) stay text.
function traceMark(kind, title) {
  let cls = "cm-pw-trace";
  if (TRACE_KINDS.has(kind)) cls += " cm-pw-trace-" + kind;
  return Decoration.mark(title ? { class: cls, attributes: { title } } : { class: cls });
}
function traceBadge(kind, steps) {
  let cls = "cm-pw-trace-n";
  if (TRACE_KINDS.has(kind)) cls += " cm-pw-trace-n-" + kind;
  return Decoration.mark({ class: cls, attributes: { "data-pw-step": steps } });
}

// Selections the app makes itself (a finding or a trace step clicked) carry this annotation, so
// onCursor reports only where the user moved the cursor.
const fromApp = Annotation.define();

const traceField = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) if (e.is(setTraceEffect)) deco = e.value;
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

// ---------------------------------------------------------------------------
// Per-line severity class for the gutters. The lint gutter only knows lint's
// four severities (critical and high are both "error"), so each marked line's
// gutter elements also get "cm-pw-gl-<severity>" (most severe on that line),
// which the theme uses to colour the lint marker exactly.

class LineSevMarker extends GutterMarker {
  constructor(sev) {
    super();
    this.elementClass = "cm-pw-gl-" + sev;
  }
  eq(other) {
    return other.elementClass === this.elementClass;
  }
}
const LINE_SEV = {};
const setLineSevEffect = StateEffect.define();
const lineSevField = StateField.define({
  create: () => RangeSet.empty,
  update(set, tr) {
    set = set.map(tr.changes);
    for (const e of tr.effects) if (e.is(setLineSevEffect)) set = e.value;
    return set;
  },
  provide: (f) => gutterLineClass.from(f),
});

// ---------------------------------------------------------------------------
// Helpers

function parseList(json) {
  if (json == null || json === "") return [];
  let v = json;
  if (typeof json === "string") {
    try {
      v = JSON.parse(json);
    } catch (e) {
      console.warn("pyward editor: bad JSON", e);
      return [];
    }
  }
  return Array.isArray(v) ? v : [];
}

function toInt(n, dflt) {
  const x = Number(n);
  return Number.isFinite(x) ? Math.trunc(x) : dflt;
}

const isHigh = (c) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c) => c >= 0xdc00 && c <= 0xdfff;

// Clamp a range to the document and make it non-empty where possible
// (zero-length ranges grow by one character, never across a line break).
function normRange(doc, from, to, widen) {
  const len = doc.length;
  let a = Math.min(Math.max(toInt(from, 0), 0), len);
  let b = Math.min(Math.max(toInt(to, a), 0), len);
  if (b < a) [a, b] = [b, a];
  if (widen && a === b && len > 0) {
    const next = a < len ? doc.sliceString(a, Math.min(a + 2, len)) : "";
    if (next && next[0] !== "\n") {
      b = a + (next.length === 2 && isHigh(next.charCodeAt(0)) && isLow(next.charCodeAt(1)) ? 2 : 1);
    } else if (a > 0) {
      const prev = doc.sliceString(Math.max(a - 2, 0), a);
      const last = prev[prev.length - 1];
      if (last !== "\n") {
        a -= prev.length === 2 && isHigh(prev.charCodeAt(0)) && isLow(prev.charCodeAt(1)) ? 2 : 1;
      }
    }
  }
  return [a, b];
}

const markKey = (from, to, d) => from + ":" + to + ":" + d.markClass + ":" + (d.source || "") + ":" + d.message;

// Whether the editor's marks (as mapped through the edits since they were set) are exactly
// `diags`: the same ranges, severities, rules and titles, as many of each.
function sameMarks(state, diags) {
  const want = new Map();
  for (const d of diags) {
    const k = markKey(d.from, d.to, d);
    want.set(k, (want.get(k) || 0) + 1);
  }
  let same = true;
  let seen = 0;
  forEachDiagnostic(state, (d, from, to) => {
    seen++;
    if (!same) return;
    const k = markKey(from, to, d);
    const n = want.get(k) || 0;
    if (n === 0) same = false;
    else want.set(k, n - 1);
  });
  return same && seen === diags.length;
}

const LINT_SEV = { critical: "error", high: "error", error: "error", medium: "warning", low: "info" };
const SEV_RANK = { critical: 5, error: 4, high: 3, medium: 2, low: 1 };

function badgeMessage(sev, label, title) {
  return () => {
    const frag = document.createDocumentFragment();
    const b = document.createElement("span");
    b.className = "cm-pw-badge cm-pw-badge-" + sev;
    b.textContent = label;
    frag.appendChild(b);
    frag.appendChild(document.createTextNode(" · " + title));
    return frag;
  };
}

// ---------------------------------------------------------------------------
// Rule-test annotations (the rule workshop): a gutter mark on each `# ruleid:` / `# ok:`
// comment, a check for one that passes and a cross for one that fails (also on a flagged line
// without an annotation), with the reason as its title.

class AnnotationMarker extends GutterMarker {
  constructor(pass, title) {
    super();
    this.pass = pass;
    this.title = title;
  }
  eq(other) {
    return other.pass === this.pass && other.title === this.title;
  }
  toDOM() {
    const el = document.createElement("span");
    el.className = "cm-pw-ann " + (this.pass ? "cm-pw-ann-pass" : "cm-pw-ann-fail");
    el.textContent = this.pass ? "\u2713" : "\u2717";
    el.setAttribute("title", this.title);
    el.setAttribute("data-pass", this.pass ? "true" : "false");
    return el;
  }
}
const setAnnotationsEffect = StateEffect.define();
const annotationField = StateField.define({
  create: () => RangeSet.empty,
  update(set, tr) {
    set = set.map(tr.changes);
    for (const e of tr.effects) if (e.is(setAnnotationsEffect)) set = e.value;
    return set;
  },
});
const annotationGutter = gutter({ class: "cm-pw-ann-gutter", markers: (v) => v.state.field(annotationField) });
const annotationTheme = EditorView.baseTheme({
  ".cm-pw-ann-gutter .cm-gutterElement": { padding: "0 2px", fontWeight: "700", fontFamily: SANS },
  ".cm-pw-ann-pass": { color: "#1a7f37" },
  ".cm-pw-ann-fail": { color: "#cf222e" },
  "&dark .cm-pw-ann-pass": { color: "#69db7c" },
  "&dark .cm-pw-ann-fail": { color: "#ff8787" },
});

// One mark per line (a failure wins over a pass on the same line), in line order.
function annotationSet(doc, list) {
  const byLine = new Map();
  for (const a of parseList(list)) {
    if (!a || typeof a !== "object") continue;
    const line = toInt(a.line, 0);
    if (line < 1 || line > doc.lines) continue;
    const prev = byLine.get(line);
    if (prev && !prev.pass) continue;
    byLine.set(line, { pass: a.pass === true, title: a.title == null ? "" : String(a.title) });
  }
  return RangeSet.of(
    [...byLine]
      .sort((x, y) => x[0] - y[0])
      .map(([line, m]) => new AnnotationMarker(m.pass, m.title).range(doc.line(line).from)),
  );
}

// ---------------------------------------------------------------------------
// Public API

// What the code editor's and the rule editor's handles share: the view, its theme, its host
// element, and the re-entrancy guard.
class ViewHandle {
  constructor(view, themeConf, host, ctx) {
    this._view = view;
    this._theme = themeConf;
    this._host = host;
    this._ctx = ctx;
  }

  // Run a state-changing call now, or - when it comes re-entrantly from inside
  // onChange/onCursor (CodeMirror forbids dispatching during an update) - right
  // after the current update. Calls on a destroyed handle are ignored.
  _run(fn) {
    if (!this._view) return;
    if (this._ctx.busy) queueMicrotask(() => this._view && fn());
    else fn();
  }

  getDoc() {
    return this._view ? this._view.state.doc.toString() : "";
  }

  setDark(on) {
    this._run(() => this._setDark(on));
  }

  _setDark(on) {
    this._view.dispatch({ effects: this._theme.reconfigure(on ? dark : light) });
  }

  focus() {
    if (this._view) this._view.focus();
  }

  destroy() {
    if (this._view) {
      this._view.destroy();
      this._view = null;
    }
    if (this._host) {
      this._host.remove();
      this._host = null;
    }
  }
}

export class EditorHandle extends ViewHandle {

  // Replace the whole document in one undoable transaction. Only the changed
  // middle part is actually replaced, so the cursor/scroll survive small
  // changes. Marks and trace are cleared (they belong to the old text).
  // A no-op when the text is unchanged (prevents onChange -> setDoc loops).
  setDoc(text) {
    this._run(() => this._setDoc(text));
  }

  _setDoc(text) {
    text = text == null ? "" : String(text);
    const view = this._view;
    const old = view.state.doc.toString();
    if (old === text) return;
    let pre = 0;
    const max = Math.min(old.length, text.length);
    while (pre < max && old.charCodeAt(pre) === text.charCodeAt(pre)) pre++;
    if (pre > 0 && isLow(old.charCodeAt(pre))) pre--; // don't split a surrogate pair
    let suf = 0;
    while (
      suf < max - pre &&
      old.charCodeAt(old.length - 1 - suf) === text.charCodeAt(text.length - 1 - suf)
    )
      suf++;
    if (suf > 0 && isHigh(old.charCodeAt(old.length - suf - 1))) suf--;
    const clear = setDiagnostics(view.state, []).effects;
    view.dispatch({
      changes: { from: pre, to: old.length - suf, insert: text.slice(pre, text.length - suf) },
      effects: [setTraceEffect.of(Decoration.none), setLineSevEffect.of(RangeSet.empty)].concat(clear || []),
      userEvent: "input.setdoc",
    });
  }

  // marks: [{"from","to","severity","title","rule"}] (an array, or its JSON text)
  setMarks(json) {
    this._run(() => this._setMarks(json));
  }

  _setMarks(json) {
    const view = this._view;
    const doc = view.state.doc;
    const diags = [];
    for (const m of parseList(json)) {
      if (!m || typeof m !== "object") continue;
      const raw = String(m.severity == null ? "medium" : m.severity);
      let sev = raw.toLowerCase();
      if (!(sev in LINT_SEV)) sev = "medium";
      const [from, to] = normRange(doc, m.from, m.to, true);
      const title = m.title == null ? "" : String(m.title);
      const label = raw.toUpperCase();
      const d = { from, to, severity: LINT_SEV[sev], markClass: "cm-pw-" + sev, message: label + " · " + title, _sev: sev, _label: label, _title: title };
      if (m.rule != null && m.rule !== "") d.source = String(m.rule);
      d._rank = SEV_RANK[sev];
      diags.push(d);
    }
    // Incremental: the marks on screen move with each edit (CodeMirror maps them through the
    // changes), so after typing they are usually the new analysis's marks already, at the same
    // places. Then nothing is rebuilt or redrawn (at 20,000 lines with 2,000 findings that
    // rebuild is what delayed the keys typed meanwhile).
    if (sameMarks(view.state, diags)) return;
    for (const d of diags) d.renderMessage = badgeMessage(d._sev, d._label, d._title);
    // Most severe first, so the tooltip lists them in that order.
    diags.sort((a, b) => b._rank - a._rank || a.from - b.from);
    // Gutter colour per line: the first (= most severe) mark starting there.
    const lines = new Map();
    for (const d of diags) {
      const start = doc.lineAt(d.from).from;
      if (!lines.has(start)) lines.set(start, d.markClass.slice(6));
    }
    const gl = [...lines]
      .sort((a, b) => a[0] - b[0])
      .map(([pos, sev]) => (LINE_SEV[sev] || (LINE_SEV[sev] = new LineSevMarker(sev))).range(pos));
    const spec = setDiagnostics(view.state, diags);
    view.dispatch({ ...spec, effects: [].concat(spec.effects || [], setLineSevEffect.of(RangeSet.of(gl))) });
  }

  // marks: [{"from","to","label","step"?,"kind"?}] in trace order (an array, or its JSON text); [] clears. `step` is the
  // 1-based number shown on the range, `kind` "source" | "step" | "sink" (colour). Steps with
  // the same range are drawn once, with both numbers and both labels.
  setTrace(json) {
    this._run(() => this._setTrace(json));
  }

  _setTrace(json) {
    const view = this._view;
    const doc = view.state.doc;
    const byRange = new Map();
    for (const s of parseList(json)) {
      if (!s || typeof s !== "object") continue;
      const [from, to] = normRange(doc, s.from, s.to, true);
      if (from === to) continue;
      const label = s.label == null ? "" : String(s.label);
      const n = toInt(s.step, 0);
      const kind = TRACE_KINDS.has(s.kind) ? s.kind : "";
      const key = from + ":" + to;
      let r = byRange.get(key);
      if (!r) byRange.set(key, (r = { from, to, steps: [], titles: [], kind }));
      if (n > 0) r.steps.push(n);
      if (label) r.titles.push(n > 0 ? n + ". " + label : label);
      // A range that is both source and sink (or a step) shows as the sink.
      if (kind === "sink" || (kind === "source" && r.kind !== "sink")) r.kind = kind;
    }
    const pieces = [];
    for (const r of byRange.values()) {
      pieces.push(traceMark(r.kind, r.titles.join("\n")).range(r.from, r.to));
      if (r.steps.length) {
        const first = doc.sliceString(r.from, Math.min(r.from + 2, r.to));
        const len = first.length === 2 && isHigh(first.charCodeAt(0)) && isLow(first.charCodeAt(1)) ? 2 : 1;
        pieces.push(traceBadge(r.kind, r.steps.join("\u00b7")).range(r.from, r.from + len));
      }
    }
    view.dispatch({ effects: setTraceEffect.of(Decoration.set(pieces, true)) });
  }

  select(from, to) {
    this._run(() => this._select(from, to));
  }

  _select(from, to) {
    const view = this._view;
    const [a, b] = normRange(view.state.doc, from, to == null ? from : to, false);
    view.dispatch({
      selection: { anchor: a, head: b },
      effects: EditorView.scrollIntoView(a, { y: "center" }),
      userEvent: "select",
      annotations: fromApp.of(true),
    });
    view.focus();
  }

  // Select a range and scroll the editor's own scroller to it, without taking the focus and
  // without scrolling the page (EditorView.scrollIntoView scrolls every scrolling ancestor): for
  // a finding opened from the list, whose detail panel takes the focus.
  reveal(from, to) {
    this._run(() => this._reveal(from, to));
  }

  _reveal(from, to) {
    const view = this._view;
    const [a, b] = normRange(view.state.doc, from, to == null ? from : to, false);
    view.dispatch({ selection: { anchor: a, head: b }, userEvent: "select", annotations: fromApp.of(true) });
    const line = view.lineBlockAt(a);
    const scroller = view.scrollDOM;
    scroller.scrollTop = Math.max(0, line.top - (scroller.clientHeight - line.height) / 2);
  }

  // `extra`: further edits made in the same step (one Undo), such as the import a fix needs:
  // an array of [from, to, text], in the same (pre-edit) offsets as from/to.
  replaceRange(from, to, text, extra) {
    this._run(() => this._replaceRange(from, to, text, extra));
  }

  _replaceRange(from, to, text, extra) {
    const view = this._view;
    const doc = view.state.doc;
    const [a, b] = normRange(doc, from, to, false);
    const insert = text == null ? "" : String(text);
    const changes = [{ from: a, to: b, insert }];
    for (const e of Array.isArray(extra) ? extra : []) {
      if (!Array.isArray(e) || e.length !== 3) continue;
      const [x, y] = normRange(doc, e[0], e[1], false);
      // Edits overlapping the main range are dropped: CodeMirror refuses overlapping changes.
      if (y <= a || x >= b) changes.push({ from: x, to: y, insert: String(e[2]) });
    }
    changes.sort((p, q) => p.from - q.from);
    const set = view.state.changes(changes);
    view.dispatch({
      changes: set,
      selection: { anchor: set.mapPos(a, -1) + insert.length },
      scrollIntoView: true,
      userEvent: "input.fix",
    });
  }

  // annotations: [{"line", "pass", "title"}] (an array, or its JSON text); [] clears.
  setAnnotations(json) {
    this._run(() => this._view.dispatch({ effects: setAnnotationsEffect.of(annotationSet(this._view.state.doc, json)) }));
  }
}

export function createEditor(parent, doc, onChange, onCursor) {
  const themeConf = new Compartment();
  const ctx = { busy: false };
  const listener = EditorView.updateListener.of((u) => {
    ctx.busy = true;
    try {
      if (u.docChanged && typeof onChange === "function") onChange(u.state.doc.toString());
      // The cursor (an empty selection) moved by the user's click or key, not by typing (the
      // analysis is about to change) and not by the app's own select().
      if (
        u.selectionSet &&
        !u.docChanged &&
        u.state.selection.main.empty &&
        typeof onCursor === "function" &&
        u.transactions.some((tr) => tr.isUserEvent("select") && !tr.annotation(fromApp))
      )
        onCursor(u.state.selection.main.head);
    } finally {
      ctx.busy = false;
    }
  });

  const state = EditorState.create({
    doc: doc == null ? "" : String(doc),
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      lintGutter(),
      highlightSpecialChars(),
      history(),
      drawSelection(),
      dropCursor(),
      EditorState.allowMultipleSelections.of(true),
      EditorState.tabSize.of(4),
      indentUnit.of("    "),
      indentOnInput(),
      bracketMatching(),
      rectangularSelection(),
      crosshairCursor(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      search({ top: true }),
      new LanguageSupport(pythonLanguage),
      keymap.of([...defaultKeymap, ...searchKeymap, ...historyKeymap, ...lintKeymap, indentWithTab]),
      traceField,
      lineSevField,
      annotationField,
      annotationGutter,
      annotationTheme,
      themeConf.of(light),
      baseLayout,
      sevTheme(),
      EditorView.editorAttributes.of({ class: "pw-editor" }),
      EditorView.contentAttributes.of({ "aria-label": "Python source code", spellcheck: "false" }),
      listener,
    ],
  });

  const { view, host } = mount(parent, state);
  return new EditorHandle(view, themeConf, host, ctx);
}

// Mount inside an open shadow root: style-mod (CodeMirror's CSS injector)
// only uses constructable stylesheets (adoptedStyleSheets) for shadow roots;
// on a plain document it inserts a <style> element, which `style-src 'self'`
// blocks. Constructable sheets are not subject to style-src.
function mount(parent, state) {
  const host = document.createElement("div");
  host.className = "pw-editor-host";
  parent.appendChild(host);
  const root = host.attachShadow({ mode: "open" });
  if (root.adoptedStyleSheets && typeof CSSStyleSheet === "function") {
    try {
      const hostSheet = new CSSStyleSheet();
      hostSheet.replaceSync(":host{display:block;height:100%;min-height:0;position:relative}");
      root.adoptedStyleSheets = [hostSheet];
    } catch (_) {
      /* old engine: host keeps default block layout */
    }
  }
  const view = new EditorView({ state, parent: root, root });
  return { view, host };
}

// ---------------------------------------------------------------------------
// The rule workshop's YAML editor:
//   createRuleEditor(parent, doc, onChange) -> RuleEditorHandle
// onChange(doc) follows every edit. setError(line, column, message) marks a rule load error at
// its YAML position (1-based; 0 for an unknown column marks the whole line); clearError() removes it.

export class RuleEditorHandle extends ViewHandle {
  // Replaces the whole text in one undoable step (a no-op when it is unchanged).
  setDoc(text) {
    this._run(() => {
      text = text == null ? "" : String(text);
      const view = this._view;
      if (view.state.doc.toString() === text) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: "input.setdoc" });
    });
  }

  setError(line, column, message) {
    this._run(() => {
      const view = this._view;
      const doc = view.state.doc;
      const l = doc.line(Math.min(Math.max(toInt(line, 1), 1), doc.lines));
      const col = toInt(column, 0);
      // From the column to the end of the line; the whole line without a column.
      let from = col > 0 ? Math.min(l.from + col - 1, l.to) : l.from;
      let to = l.to;
      if (from === to) [from, to] = normRange(doc, from, to, true);
      const diag = { from, to, severity: "error", markClass: "cm-pw-error", message: message == null ? "" : String(message), source: "rule load error" };
      view.dispatch(setDiagnostics(view.state, [diag]));
    });
  }

  clearError() {
    this._run(() => this._view.dispatch(setDiagnostics(this._view.state, [])));
  }
}

export function createRuleEditor(parent, doc, onChange) {
  const themeConf = new Compartment();
  const ctx = { busy: false };
  const listener = EditorView.updateListener.of((u) => {
    if (!u.docChanged || typeof onChange !== "function") return;
    ctx.busy = true;
    try {
      onChange(u.state.doc.toString());
    } finally {
      ctx.busy = false;
    }
  });
  const state = EditorState.create({
    doc: doc == null ? "" : String(doc),
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      lintGutter(),
      highlightSpecialChars(),
      history(),
      drawSelection(),
      EditorState.tabSize.of(2),
      indentUnit.of("  "),
      indentOnInput(),
      bracketMatching(),
      highlightActiveLine(),
      new LanguageSupport(yamlLanguage),
      keymap.of([...defaultKeymap, ...historyKeymap, ...lintKeymap, indentWithTab]),
      themeConf.of(light),
      baseLayout,
      sevTheme(),
      EditorView.editorAttributes.of({ class: "pw-editor pw-rule-editor" }),
      EditorView.contentAttributes.of({ "aria-label": "Rules (YAML)", spellcheck: "false" }),
      listener,
    ],
  });
  const { view, host } = mount(parent, state);
  return new RuleEditorHandle(view, themeConf, host, ctx);
}
