#!/usr/bin/env node
// Browser test suite for the pyward playground.
//
//   node web/tests/run.mjs [name-filter...]     (from the repo root, or any directory)
//
// Starts scripts/serve.py (strict CSP header) once on a free port over the built site, runs every
// web/tests/*.test.mjs with Node's test runner (one file at a time, so the responsiveness
// measurements are not disturbed by the other files), stops the server and exits non-zero on
// any failure. Arguments, if given, keep only the test files whose name contains one of them.
//
// Env: PYWARD_DIST   the built site to serve (default web/dist); point it at a copy to avoid
//                    racing a rebuild.
//      CHROMIUM      the browser (default /usr/bin/chromium).
//      PYWARD_URL    test an already running server instead of starting one.
//      PYWARD_MAX_GAP_MS, PYWARD_MAX_GAP_MS_TYPING, PYWARD_MAX_GAP_MS_PASTE
//                    main-thread stall limits of the 10,000-line test (see perf.test.mjs).
// Screenshots and downloads go to web/tests/artifacts/.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const testsDir = dirname(fileURLToPath(import.meta.url));
const repo = resolve(testsDir, "..", "..");
const dist = resolve(process.env.PYWARD_DIST || join(repo, "web", "dist"));

async function startServer() {
  if (!existsSync(join(dist, "index.html"))) {
    throw new Error(`${dist}/index.html not found: build the site first (scripts/build-web.sh) or set PYWARD_DIST`);
  }
  const child = spawn("python3", [join(repo, "scripts", "serve.py"), "--port", "0", "--dir", dist], {
    env: { ...process.env, PYWARD_SERVE_QUIET: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error("serve.py did not print its URL within 15 s")), 15_000);
    child.once("exit", (code) => rej(new Error(`serve.py exited early (code ${code})`)));
    const rl = createInterface({ input: child.stdout });
    rl.once("line", (line) => {
      clearTimeout(timer);
      const m = line.match(/http:\/\/[^\s/]+\//);
      if (m) res(m[0]);
      else rej(new Error(`unexpected first line from serve.py: ${line}`));
    });
  });
  return { child, url };
}

const filters = process.argv.slice(2);
const files = readdirSync(testsDir)
  .filter((f) => f.endsWith(".test.mjs"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
  .map((f) => join(testsDir, f));
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(2);
}

let server = null;
let url = process.env.PYWARD_URL;
if (!url) {
  server = await startServer();
  url = server.url;
}
console.log(`# serving ${dist} at ${url}`);

const stop = () => {
  if (server && server.child.exitCode === null) server.child.kill("SIGTERM");
};
process.on("exit", stop);
process.on("SIGINT", () => {
  stop();
  process.exit(130);
});

const started = Date.now();
const code = await new Promise((res) => {
  const child = spawn(
    process.execPath,
    ["--test", "--test-concurrency=1", "--test-reporter=spec", ...files],
    { stdio: "inherit", cwd: repo, env: { ...process.env, PYWARD_URL: url } },
  );
  child.on("exit", (c, sig) => res(c ?? (sig ? 1 : 0)));
});
stop();
console.log(`# suite finished in ${((Date.now() - started) / 1000).toFixed(1)} s, exit code ${code}`);
process.exit(code);
