//! The bridge to the engine, which runs in a Web Worker (`worker.js` loads `pyward_wasm`), so
//! analysis never blocks typing. At most one request is in flight; while it runs, only the newest
//! waiting request is kept, so a burst of edits on a large file costs one extra analysis, not a
//! queue of them.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

use crate::model::{write_settings, Analysis, Catalog, Read, Settings};
use crate::state::Action;
use crate::value::{self as v, Res, Val};

struct Request<'a> {
    kind: &'a str,
    seq: u64,
    source: &'a str,
    settings: &'a Settings,
    format: &'a str,
    yaml: &'a str,
}

impl Request<'_> {
    fn write<V: Val>(&self) -> V {
        V::object(vec![
            ("kind", V::text(self.kind)),
            ("seq", V::num(self.seq as f64)),
            ("source", V::text(self.source)),
            ("settings", write_settings(self.settings)),
            ("format", V::text(self.format)),
            ("yaml", V::text(self.yaml)),
        ])
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
        })
    }
}

enum Op {
    Analyze,
    Export(String),
    Rules(String),
}

struct Pending {
    seq: u64,
    source: Rc<str>,
    op: Op,
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
    seq: Cell<u64>,
    settings: RefCell<Settings>,
    dispatch: Callback<Action>,
    on_export: Callback<(String, String)>,
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
            seq: Cell::new(0),
            settings: RefCell::new(settings),
            dispatch,
            on_export,
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
                let analysis = data.get("result").map(|r| Analysis::read(&r));
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
                if reply.ok {
                    let catalog = data.get("catalog").and_then(|c| Catalog::read(&c).ok()).unwrap_or_default();
                    self.dispatch.emit(Action::CustomRulesLoaded(Ok(reply.count), catalog.rules));
                } else {
                    self.dispatch.emit(Action::CustomRulesLoaded(Err(reply.message), Vec::new()));
                }
                self.pump();
            }
            "export" => {
                self.inflight.borrow_mut().take();
                self.on_export.emit((reply.format, reply.text));
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
                if let Some(w) = self.worker.borrow_mut().take() {
                    w.terminate();
                }
                self.ready.set(false);
                self.spawn();
            }
            _ => {}
        }
    }

    fn pump(&self) {
        if !self.ready.get() || self.inflight.borrow().is_some() {
            return;
        }
        // New rules first (an analysis waiting behind them then uses them), then the newest
        // analysis, then an export.
        let next = self.queued_rules.borrow_mut().take();
        let next = next.or_else(|| self.queued.borrow_mut().take()).or_else(|| self.queued_export.borrow_mut().take());
        let Some(next) = next else { return };
        let settings = self.settings.borrow().clone();
        let (kind, format, yaml) = match &next.op {
            Op::Analyze => ("analyze", "", ""),
            Op::Export(f) => ("export", f.as_str(), ""),
            Op::Rules(y) => ("rules", "", y.as_str()),
        };
        let req = Request { kind, seq: next.seq, source: &next.source, settings: &settings, format, yaml };
        let msg: JsValue = req.write();
        if let Some(w) = self.worker.borrow().as_ref() {
            if w.post_message(&msg).is_ok() {
                *self.inflight.borrow_mut() = Some(next);
            }
        }
    }

    pub fn set_settings(&self, s: &Settings) {
        *self.settings.borrow_mut() = s.clone();
    }

    /// Asks for an analysis of `source`; the result arrives as `Action::Analyzed`.
    pub fn analyze(&self, source: Rc<str>) {
        let seq = self.seq.get() + 1;
        self.seq.set(seq);
        self.dispatch.emit(Action::Requested(seq));
        *self.queued.borrow_mut() = Some(Pending { seq, source, op: Op::Analyze });
        self.pump();
    }

    /// Replaces the user's own rules (YAML; empty removes them). The outcome arrives as
    /// `Action::CustomRulesLoaded`.
    pub fn set_rules(&self, yaml: &str) {
        *self.queued_rules.borrow_mut() = Some(Pending { seq: self.seq.get(), source: Rc::from(""), op: Op::Rules(yaml.to_string()) });
        self.pump();
    }

    /// Asks for the report of `source` in `format`; it arrives through `on_export`. It runs after
    /// any waiting analysis.
    pub fn export(&self, source: Rc<str>, format: &str) {
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
        let req: Value = Request { kind: "export", seq: 7, source: "x = 1", settings: &settings, format: "sarif", yaml: "" }.write();
        assert_eq!(req["kind"], "export");
        assert_eq!((req["seq"].as_u64(), req["source"].as_str(), req["format"].as_str()), (Some(7), Some("x = 1"), Some("sarif")));
        assert_eq!(req["settings"]["min_severity"], "low");
        let r = Reply::read(&json!({"kind": "result", "seq": 3, "ms": 12.5, "result": {}})).expect("reply");
        assert_eq!((r.kind.as_str(), r.seq, r.ms, r.ok, r.count, r.message.as_str()), ("result", 3, 12.5, false, 0, ""));
        assert!(Reply::read(&json!({"seq": 3})).is_err(), "a reply needs its kind");
    }
}
