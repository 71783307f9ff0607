// Starts the analysis worker first (boot.js), then the Yew app (its wasm-bindgen `start` function
// renders into #app).
import "./boot.js";
import init from "./pyward_web.js";

init({ module_or_path: new URL("./pyward_web_bg.wasm", import.meta.url) }).catch((e) => {
  const app = document.getElementById("app");
  if (app) {
    app.textContent = "The playground could not start: " + (e && e.message ? e.message : String(e));
  }
});
