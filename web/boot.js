// Starts the analysis worker as soon as the page's scripts run, so that the engine (2 MB of
// wasm, then its rules) loads while the app's own wasm starts and draws the page, instead of
// after it. The app takes the worker over (`takeWorker`, called once by web/src/worker.rs) and
// replays what the worker said before it was listening. Measured on localhost (bench/web.mjs,
// headless Chromium, best of 3): navigation to the first analysis shown 932 -> 695 ms.
let early = null;
try {
  const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  const held = [];
  worker.onmessage = (e) => held.push(e.data);
  worker.onerror = () => held.push({ kind: "failed", message: "the analysis engine could not be loaded" });
  early = { worker, held };
} catch (_) {
  // The app starts its own worker, and reports it if that fails too.
}

/** The early worker and the messages it has sent so far, the first time; null afterwards. */
export function takeWorker() {
  const e = early;
  early = null;
  return e;
}
