//! The bridge to the engine, which runs in a Web Worker (`worker.js` loads `pyward_wasm`), so
//! analysis never blocks typing. At most one request is in flight; while it runs, only the newest
//! waiting request is kept, so a burst of edits on a large file costs one extra analysis, not a
//! queue of them.
//!
//! A request that has not been answered within [`watchdog_ms`] (a few seconds) stops the worker:
//! the page terminates it, says which rules or input were too slow (`Action::Stopped`), starts a
//! fresh worker with the same rules and settings, and sends it the newest waiting request.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

use crate::model::{write_settings, Analysis, Catalog, Read, Settings};
use crate::state::Action;
use crate::value::{self as v, Res, Val};
use crate::workshop::{AnnotationReport, Explanation, RuleErrorAt, WorkshopAction};

type V = JsValue;

struct Request<'a> {
    kind: &'a str,
    seq: u64,
    source: &'a str,
    settings: &'a Settings,
    format: &'a str,
    yaml: &'a str,
    /// Every tab to analyse, (name, text), the editor's with `source` (none: `source` alone).
    tabs: &'a [(&'a str, &'a str)],
    /// The review's date (`YYYY-MM-DD`).
    date: &'a str,
}

impl Request<'_> {
    fn write<V: Val>(&self) -> V {
        let mut fields = vec![
            ("kind", V::text(self.kind)),
            ("seq", V::num(self.seq as f64)),
            ("source", V::text(self.source)),
            ("settings", write_settings(self.settings)),
            ("format", V::text(self.format)),
            ("yaml", V::text(self.yaml)),
            ("date", V::text(self.date)),
        ];
        if !self.tabs.is_empty() {
            let tabs = self.tabs.iter().map(|(name, text)| V::object(vec![("name", V::text(name)), ("text", V::text(text))])).collect();
            fields.push(("tabs", V::items(tabs)));
        }
        V::object(fields)
    }
}

/// What the worker answers (see worker.js); the rules and the analysis are read separately.
#[derive(Debug, PartialEq)]
struct Reply {
    kind: String,
    seq: u64,
    ms: f64,
    init_ms: f64,
    message: String,
    format: String,
    text: String,
    ok: bool,
    count: usize,
    /// Where the rules failed to load (1-based; 0 when unknown).
    line: u32,
    column: u32,
}

impl Reply {
    fn read<V: Val>(x: &V) -> Res<Self> {
        Ok(Reply {
            kind: v::text(x, "kind")?,
            seq: v::uint_or_zero(x, "seq")?,
            ms: v::num_or_zero(x, "ms")?,
            init_ms: v::num_or_zero(x, "init_ms")?,
            message: v::text_or_empty(x, "message")?,
            format: v::text_or_empty(x, "format")?,
            text: v::text_or_empty(x, "text")?,
            ok: v::flag_or_false(x, "ok")?,
            count: v::uint_or_zero(x, "count")?,
            line: v::uint_or_zero(x, "line")?,
            column: v::uint_or_zero(x, "column")?,
        })
    }
}

enum Op {
    Analyze,
    Export(String),
    Rules(String),
    /// The review as a `.zip`, for this date.
    Review(String),
}

struct Pending {
    seq: u64,
    source: Rc<str>,
    op: Op,
}

/// How long a request may run in the worker before the page stops it: 5 s, plus 10 ms per KB of
/// source (a 2 MB paste, the largest accepted, gets 25 s). An analysis of 10,000 lines with
/// 10,000 findings takes 2-3 s in the worker on a loaded 2-core machine. `override_ms` (the
/// `pyward.watchdog-ms` localStorage key, used by the browser tests) replaces the whole limit.
pub fn watchdog_ms(source_len: usize, override_ms: Option<u32>) -> u32 {
    override_ms.unwrap_or_else(|| 5_000u32.saturating_add(u32::try_from(source_len / 100).unwrap_or(u32::MAX)))
}

/// The `id:` values of a rules YAML text, in order (a plain line scan: the names the user wrote,
/// for messages; the engine has its own reader).
pub fn rule_ids(yaml: &str) -> Vec<String> {
    yaml.lines()
        .filter_map(|l| l.trim_start().trim_start_matches("- ").trim_start().strip_prefix("id:"))
        .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

/// What the page says when it stopped a request that ran longer than `limit_ms`: which of the
/// user's own rules (`custom_ids`) or which input was too slow, and what to do.
pub fn stop_message(kind: &str, source: &str, custom_ids: &[String], limit_ms: u32) -> String {
    let secs = format!("{:.1}", f64::from(limit_ms) / 1000.0);
    let secs = secs.trim_end_matches(".0");
    let lines = source.lines().count();
    let input = format!("{lines} line{}, {:.1} KB", if lines == 1 { "" } else { "s" }, source.len() as f64 / 1024.0);
    let rules = match custom_ids {
        [] => String::new(),
        [one] => format!("your own rule `{one}`"),
        many => format!("one of your own rules ({})", many.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")),
    };
    match kind {
        "rules" => format!("Loading your own rules took longer than {secs} s and was stopped; they are not active. Check {}.", if rules.is_empty() { "the rules".to_string() } else { rules }),
        _ if rules.is_empty() => format!(
            "The analysis of this input ({input}) took longer than {secs} s and was stopped, so nothing is known about this code yet. Analyse a smaller part here, or the whole file with the pyward CLI."
        ),
        _ => format!(
            "The analysis took longer than {secs} s and was stopped, so nothing is known about this code yet: {rules} is too slow on this input ({input}). Change the rule in Settings, or the code."
        ),
    }
}

#[wasm_bindgen(raw_module = "./boot.js")]
extern "C" {
    #[wasm_bindgen(js_name = takeWorker)]
    fn take_worker() -> JsValue;
}

/// The worker that boot.js started as the page loaded, and the messages it held for the app.
fn early_worker() -> Option<(Worker, Vec<JsValue>)> {
    let early = take_worker();
    let worker = js_sys::Reflect::get(&early, &JsValue::from_str("worker")).ok()?.dyn_into::<Worker>().ok()?;
    let held = js_sys::Reflect::get(&early, &JsValue::from_str("held")).ok()?.dyn_into::<js_sys::Array>().ok()?;
    Some((worker, held.iter().collect()))
}

/// A JavaScript event handler kept alive as long as the worker it is attached to.
type Listener<E> = Closure<dyn FnMut(E)>;

pub struct Bridge {
    worker: RefCell<Option<Worker>>,
    ready: Cell<bool>,
    inflight: RefCell<Option<Pending>>,
    queued: RefCell<Option<Pending>>,
    queued_export: RefCell<Option<Pending>>,
    queued_rules: RefCell<Option<Pending>>,
    /// The user's own rules as last sent, so a fresh worker gets them too.
    rules: RefCell<String>,
    /// Stops the in-flight request when it runs too long (dropping it cancels the timer).
    watchdog: RefCell<Option<Timeout>>,
    seq: Cell<u64>,
    settings: RefCell<Settings>,
    dispatch: Callback<Action>,
    on_export: Callback<(String, String)>,
    /// The review's `.zip` bytes, when they arrive.
    on_review: RefCell<Option<Callback<Vec<u8>>>>,
    /// The editor's tabs and the one in the editor: each request carries them all, with the
    /// editor's text in that one (see `crate::tabs`). None before the page sets them.
    tabs: RefCell<Vec<crate::tabs::Tab>>,
    active: Cell<usize>,
    on_message: RefCell<Option<Listener<MessageEvent>>>,
    on_error: RefCell<Option<Listener<web_sys::Event>>>,
}

impl PartialEq for Bridge {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Bridge {
    /// Starts the worker. `dispatch` receives engine events; `on_export` gets (format, text).
    pub fn start(dispatch: Callback<Action>, on_export: Callback<(String, String)>, settings: Settings) -> Rc<Bridge> {
        let b = Rc::new(Bridge {
            worker: RefCell::new(None),
            ready: Cell::new(false),
            inflight: RefCell::new(None),
            queued: RefCell::new(None),
            queued_export: RefCell::new(None),
            queued_rules: RefCell::new(None),
            rules: RefCell::new(String::new()),
            watchdog: RefCell::new(None),
            seq: Cell::new(0),
            settings: RefCell::new(settings),
            dispatch,
            on_export,
            on_review: RefCell::new(None),
            tabs: RefCell::new(Vec::new()),
            active: Cell::new(0),
            on_message: RefCell::new(None),
            on_error: RefCell::new(None),
        });
        b.spawn();
        b
    }

    fn spawn(self: &Rc<Self>) {
        // The first time, the worker boot.js started while the page loaded, with what it has
        // said so far; a worker started after a crash is new.
        let (worker, held) = match early_worker() {
            Some(early) => early,
            None => {
                let opts = WorkerOptions::new();
                opts.set_type(WorkerType::Module);
                match Worker::new_with_options("./worker.js", &opts) {
                    Ok(w) => (w, Vec::new()),
                    Err(e) => {
                        self.dispatch.emit(Action::EngineFailed(format!("could not start the analysis worker: {e:?}")));
                        return;
                    }
                }
            }
        };
        let weak: Weak<Bridge> = Rc::downgrade(self);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            if let Some(b) = weak.upgrade() {
                b.receive(ev.data());
            }
        });
        let weak: Weak<Bridge> = Rc::downgrade(self);
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_ev: web_sys::Event| {
            if let Some(b) = weak.upgrade() {
                b.dispatch.emit(Action::EngineFailed("the analysis engine could not be loaded".into()));
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        *self.on_message.borrow_mut() = Some(on_message);
        *self.on_error.borrow_mut() = Some(on_error);
        *self.worker.borrow_mut() = Some(worker);
        for message in held {
            self.receive(message);
        }
    }

    fn receive(self: &Rc<Self>, data: JsValue) {
        let reply = match Reply::read(&data) {
            Ok(r) => r,
            Err(e) => {
                self.dispatch.emit(Action::Notice(Some(format!("unexpected message from the engine: {e}"))));
                return;
            }
        };
        if matches!(reply.kind.as_str(), "result" | "rules" | "export" | "review" | "error" | "crashed") {
            self.watchdog.borrow_mut().take();
        }
        match reply.kind.as_str() {
            "ready" => {
                let catalog = data.get("catalog").and_then(|c| Catalog::read(&c).ok()).unwrap_or_default();
                self.ready.set(true);
                self.dispatch.emit(Action::EngineReady { catalog, init_ms: reply.init_ms });
                self.pump();
            }
            "failed" => self.dispatch.emit(Action::EngineFailed(reply.message)),
            "result" => {
                let done = self.inflight.borrow_mut().take();
                // The analysis comes as one JSON string (see json.rs).
                let analysis = data.get("json").and_then(|j| j.as_text()).map(|text| crate::json::parse(&text).and_then(|v| Analysis::read(&v)));
                // The code's annotations, checked against the rules (the rule workshop), before
                // the analysis: an exercise is checked when the analysis arrives.
                let annotations = data.get("annotations").and_then(|j| j.as_text()).and_then(|t| crate::json::parse(&t).ok()).and_then(|v| AnnotationReport::read(&v).ok());
                if let Some(report) = annotations {
                    self.dispatch.emit(Action::Workshop(WorkshopAction::Annotated { seq: reply.seq, report }));
                }
                match (done, analysis) {
                    (Some(p), Some(Ok(analysis))) => {
                        self.dispatch.emit(Action::Analyzed { seq: reply.seq, source: p.source, analysis, ms: reply.ms })
                    }
                    (_, Some(Err(e))) => self.dispatch.emit(Action::Notice(Some(format!("unreadable result from the engine: {e}")))),
                    _ => {}
                }
                self.pump();
            }
            "rules" => {
                self.inflight.borrow_mut().take();
                let at = (!reply.ok).then(|| RuleErrorAt { line: reply.line, column: reply.column, message: reply.message.clone() });
                self.dispatch.emit(Action::Workshop(WorkshopAction::RuleError(at)));
                if reply.ok {
                    let catalog = data.get("catalog").and_then(|c| Catalog::read(&c).ok()).unwrap_or_default();
                    self.dispatch.emit(Action::CustomRulesLoaded(Ok(reply.count), catalog.rules));
                } else {
                    self.dispatch.emit(Action::CustomRulesLoaded(Err(reply.message), Vec::new()));
                }
                self.pump();
            }
            "explain" => {
                let e = data.get("json").and_then(|j| j.as_text()).and_then(|t| crate::json::parse(&t).ok()).and_then(|v| Explanation::read(&v).ok());
                if let Some(e) = e {
                    self.dispatch.emit(Action::Workshop(WorkshopAction::Explained(e)));
                }
            }
            "rule-yaml" => {
                // A built-in rule to start from: it becomes the rules text of the workshop.
                if !reply.text.is_empty() {
                    self.dispatch.emit(Action::SetCustomRules(reply.text));
                    self.dispatch.emit(Action::Workshop(WorkshopAction::RulesLoaded));
                }
            }
            "export" => {
                self.inflight.borrow_mut().take();
                self.on_export.emit((reply.format, reply.text));
                self.pump();
            }
            "review" => {
                self.inflight.borrow_mut().take();
                let bytes = js_sys::Reflect::get(&data, &JsValue::from_str("bytes")).ok().filter(|b| b.is_instance_of::<js_sys::Uint8Array>());
                let cb = self.on_review.borrow().clone();
                match (bytes, cb) {
                    (Some(b), Some(cb)) => cb.emit(js_sys::Uint8Array::new(&b).to_vec()),
                    _ => self.dispatch.emit(Action::Notice(Some("The review could not be made".into()))),
                }
                self.pump();
            }
            "error" => {
                self.inflight.borrow_mut().take();
                self.dispatch.emit(Action::Notice(Some(format!("the engine refused the request: {}", reply.message))));
                self.pump();
            }
            "crashed" => {
                // A trap leaves the wasm instance unusable: start a fresh worker, and do not send
                // the same input again.
                self.inflight.borrow_mut().take();
                let msg = format!("the analyzer stopped on this input ({}); it was restarted — edit the code to analyse again", reply.message);
                // The error shows until the fresh worker is up; the notice stays a few seconds
                // longer, so the user sees what happened.
                self.dispatch.emit(Action::Notice(Some(msg.clone())));
                self.dispatch.emit(Action::EngineFailed(msg));
                self.restart();
            }
            _ => {}
        }
    }

    /// Replaces the worker with a fresh one, which gets the user's rules again; the newest waiting
    /// request is sent when it is ready.
    fn restart(self: &Rc<Self>) {
        self.watchdog.borrow_mut().take();
        if let Some(w) = self.worker.borrow_mut().take() {
            w.terminate();
        }
        self.ready.set(false);
        let rules = self.rules.borrow().clone();
        if !rules.trim().is_empty() && self.queued_rules.borrow().is_none() {
            *self.queued_rules.borrow_mut() = Some(Pending { seq: self.seq.get(), source: Rc::from(""), op: Op::Rules(rules) });
        }
        self.spawn();
    }

    /// The in-flight request ran longer than `limit_ms`: stop the worker, say what was too slow
    /// and go on with a fresh one.
    fn stop(self: &Rc<Self>, limit_ms: u32) {
        let Some(p) = self.inflight.borrow_mut().take() else { return };
        let ids = rule_ids(&self.rules.borrow());
        match &p.op {
            Op::Rules(yaml) => {
                // Those rules are not sent to the fresh worker.
                self.rules.borrow_mut().clear();
                let msg = stop_message("rules", "", &rule_ids(yaml), limit_ms);
                self.dispatch.emit(Action::CustomRulesLoaded(Err(msg), Vec::new()));
            }
            Op::Analyze => self.dispatch.emit(Action::Stopped { seq: p.seq, message: stop_message("analyze", &p.source, &ids, limit_ms) }),
            Op::Export(_) | Op::Review(_) => self.dispatch.emit(Action::Notice(Some(stop_message("export", &p.source, &ids, limit_ms)))),
        }
        self.restart();
    }

    fn pump(self: &Rc<Self>) {
        if !self.ready.get() || self.inflight.borrow().is_some() {
            return;
        }
        // New rules first (an analysis waiting behind them then uses them), then the newest
        // analysis, then an export.
        let next = self.queued_rules.borrow_mut().take();
        let next = next.or_else(|| self.queued.borrow_mut().take()).or_else(|| self.queued_export.borrow_mut().take());
        let Some(next) = next else { return };
        let settings = self.settings.borrow().clone();
        let (kind, format, yaml, date) = match &next.op {
            Op::Analyze => ("analyze", "", "", ""),
            Op::Export(f) => ("export", f.as_str(), "", ""),
            Op::Rules(y) => ("rules", "", y.as_str(), ""),
            Op::Review(d) => ("review", "", "", d.as_str()),
        };
        let all = crate::tabs::with_doc(&self.tabs.borrow(), self.active.get(), &next.source);
        let tabs = if matches!(next.op, Op::Rules(_)) { Vec::new() } else { crate::tabs::to_analyse(&all) };
        // With tabs the analysis reads the editor's text in its tab; `source` carries it too, for
        // the workshop's annotations (checked on the code in the editor).
        let source = &*next.source;
        let req = Request { kind, seq: next.seq, source, settings: &settings, format, yaml, tabs: &tabs, date };
        let msg: JsValue = req.write();
        if let Some(w) = self.worker.borrow().as_ref() {
            if w.post_message(&msg).is_ok() {
                let limit = watchdog_ms(next.source.len() + yaml.len(), crate::browser::watchdog_override());
                *self.inflight.borrow_mut() = Some(next);
                let weak = Rc::downgrade(self);
                *self.watchdog.borrow_mut() = Some(Timeout::new(limit, move || {
                    if let Some(b) = weak.upgrade() {
                        b.stop(limit);
                    }
                }));
            }
        }
    }

    /// The tabs (and the one in the editor) the next requests carry.
    pub fn set_tabs(&self, tabs: &[crate::tabs::Tab], active: usize) {
        *self.tabs.borrow_mut() = tabs.to_vec();
        self.active.set(active);
    }

    /// Every tab, with `doc` (the editor's text) in the one in the editor.
    pub fn all_tabs(&self, doc: &Rc<str>) -> Vec<crate::tabs::Tab> {
        crate::tabs::with_doc(&self.tabs.borrow(), self.active.get(), doc)
    }

    /// Where the review's `.zip` goes.
    pub fn on_review(&self, cb: Callback<Vec<u8>>) {
        *self.on_review.borrow_mut() = Some(cb);
    }

    /// Asks for the review of the tabs (with `source` in the editor's) as a `.zip`, dated `date`.
    pub fn review(self: &Rc<Self>, source: Rc<str>, date: &str) {
        *self.queued_export.borrow_mut() = Some(Pending { seq: self.seq.get(), source, op: Op::Review(date.to_string()) });
        self.pump();
    }

    pub fn set_settings(&self, s: &Settings) {
        *self.settings.borrow_mut() = s.clone();
    }

    /// Asks for an analysis of `source`; the result arrives as `Action::Analyzed`.
    pub fn analyze(self: &Rc<Self>, source: Rc<str>) {
        let seq = self.seq.get() + 1;
        self.seq.set(seq);
        self.dispatch.emit(Action::Requested(seq));
        *self.queued.borrow_mut() = Some(Pending { seq, source, op: Op::Analyze });
        self.pump();
    }

    /// Replaces the user's own rules (YAML; empty removes them). The outcome arrives as
    /// `Action::CustomRulesLoaded`.
    pub fn set_rules(self: &Rc<Self>, yaml: &str) {
        *self.rules.borrow_mut() = yaml.to_string();
        *self.queued_rules.borrow_mut() = Some(Pending { seq: self.seq.get(), source: Rc::from(""), op: Op::Rules(yaml.to_string()) });
        self.pump();
    }

    /// Asks for built-in rule `id` as YAML (renamed `my-<id>`); it arrives as the workshop's
    /// rules text. A small request outside the queue: the worker answers it after the one it runs.
    pub fn request_rule_yaml(&self, id: &str) {
        let msg: JsValue = V::object(vec![("kind", V::text("rule-yaml")), ("id", V::text(id))]);
        if let Some(w) = self.worker.borrow().as_ref() {
            let _ = w.post_message(&msg);
        }
    }

    /// Asks how rule `rule` matched `source`, operator by operator; the answer arrives as
    /// `WorkshopAction::Explained`. Outside the queue, as `request_rule_yaml`.
    pub fn request_explain(&self, source: &str, rule: &str) {
        let msg: JsValue = V::object(vec![("kind", V::text("explain")), ("source", V::text(source)), ("rule", V::text(rule))]);
        if let Some(w) = self.worker.borrow().as_ref() {
            let _ = w.post_message(&msg);
        }
    }

    /// Asks for the report of `source` in `format`; it arrives through `on_export`. It runs after
    /// any waiting analysis.
    pub fn export(self: &Rc<Self>, source: Rc<str>, format: &str) {
        *self.queued_export.borrow_mut() = Some(Pending { seq: self.seq.get(), source, op: Op::Export(format.to_string()) });
        self.pump();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn requests_and_replies_have_the_worker_s_shape() {
        let settings = Settings::default();
        let req: Value = Request { kind: "export", seq: 7, source: "x = 1", settings: &settings, format: "sarif", yaml: "", tabs: &[], date: "" }.write();
        assert_eq!(req["kind"], "export");
        assert!(req.get("tabs").is_none(), "no tabs: the source alone");
        let tabs = [("app.py", "x = 1"), ("requirements.txt", "flask==3.0.0")];
        let review: Value = Request { kind: "review", seq: 8, source: "", settings: &settings, format: "", yaml: "", tabs: &tabs, date: "2026-12-07" }.write();
        assert_eq!(review["tabs"], json!([{"name": "app.py", "text": "x = 1"}, {"name": "requirements.txt", "text": "flask==3.0.0"}]));
        assert_eq!(review["date"], "2026-12-07");
        assert_eq!((req["seq"].as_u64(), req["source"].as_str(), req["format"].as_str()), (Some(7), Some("x = 1"), Some("sarif")));
        assert_eq!(req["settings"]["min_severity"], "low");
        let r = Reply::read(&json!({"kind": "result", "seq": 3, "ms": 12.5, "json": "{}"})).expect("reply");
        assert_eq!((r.kind.as_str(), r.seq, r.ms, r.ok, r.count, r.message.as_str()), ("result", 3, 12.5, false, 0, ""));
        assert!(Reply::read(&json!({"seq": 3})).is_err(), "a reply needs its kind");
    }

    #[test]
    fn the_watchdog_allows_a_few_seconds_more_for_large_inputs() {
        assert_eq!(watchdog_ms(0, None), 5_000);
        assert_eq!(watchdog_ms(2_000_000, None), 25_000);
        assert_eq!(watchdog_ms(2_000_000, Some(300)), 300);
    }

    #[test]
    fn a_stopped_analysis_names_the_user_s_rules_or_the_input() {
        let yaml = "rules:\n  - id: slow-statements\n    pattern: x\n  -   id: 'other'\n    message: \"id: no\"\n";
        assert_eq!(rule_ids(yaml), vec!["slow-statements".to_string(), "other".to_string()]);
        let one = stop_message("analyze", "a = 1\nb = 2\n", &rule_ids("- id: slow\n"), 5_000);
        assert!(one.contains("longer than 5 s") && one.contains("your own rule `slow`") && one.contains("(2 lines, 0.0 KB)"), "{one}");
        let many = stop_message("analyze", "a = 1\n", &rule_ids(yaml), 5_000);
        assert!(many.contains("one of your own rules (`slow-statements`, `other`)"), "{many}");
        let input = stop_message("analyze", &"x = 1\n".repeat(2_000), &[], 7_000);
        assert!(stop_message("analyze", "", &[], 700).contains("longer than 0.7 s"));
        assert!(input.contains("this input (2000 lines, 11.7 KB) took longer than 7 s") && input.contains("pyward CLI"), "{input}");
        assert!(stop_message("rules", "", &[], 5_000).contains("not active"));
    }
}
