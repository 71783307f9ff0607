// Page security on any host: the headers shipped for static hosts (web/_headers, copied into the
// built site) and documented for nginx (web/DEPLOY.md) are the page's policy, and the served page
// cannot be framed by another origin. scripts/serve.py sends what the site's _headers file says,
// as Netlify and Cloudflare Pages do, so the suite tests the shipped file.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { BASE, REPO, launch, openApp, poll } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** { header name (lower case): value } of the `/*` block of a _headers file. */
function parseHeaders(text) {
  const out = {};
  let inAll = false;
  for (const line of text.split("\n")) {
    if (!line.trim() || line.trim().startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      inAll = line.trim() === "/*";
      continue;
    }
    const m = line.trim().match(/^([\w-]+):\s*(.*)$/);
    if (inAll && m) out[m[1].toLowerCase()] = m[2];
  }
  return out;
}

/** { header name: value } of the `add_header` lines in the nginx block of web/DEPLOY.md. */
function nginxHeaders(md) {
  const block = md.match(/```nginx\n([\s\S]*?)```/);
  assert.ok(block, "web/DEPLOY.md has an nginx block");
  const out = {};
  for (const m of block[1].matchAll(/add_header\s+([\w-]+)\s+"([^"]*)"\s+always;/g)) out[m[1].toLowerCase()] = m[2];
  return out;
}

const directives = (csp) => csp.split(";").map((d) => d.trim()).filter(Boolean);

test("the static-host _headers file, the nginx example and the page's meta policy agree", () => {
  const file = parseHeaders(readFileSync(join(REPO, "web", "_headers"), "utf8"));
  const csp = directives(file["content-security-policy"] || "");
  assert.ok(csp.includes("frame-ancestors 'none'"), `the header policy forbids framing: ${csp.join("; ")}`);
  assert.equal(file["x-frame-options"], "DENY", "older browsers: X-Frame-Options");
  for (const [k, v] of Object.entries({ "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" })) assert.equal(file[k], v, k);
  // The meta tag carries the same policy, except frame-ancestors (ignored in a meta tag).
  const html = readFileSync(join(REPO, "web", "index.html"), "utf8");
  const meta = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)[1];
  assert.deepEqual(directives(meta), csp.filter((d) => !d.startsWith("frame-ancestors")));
  assert.deepEqual(nginxHeaders(readFileSync(join(REPO, "web", "DEPLOY.md"), "utf8")), file, "DEPLOY.md's nginx headers are the _headers file's");
});

/** A plain HTTP server on 127.0.0.1 (another port: another origin). */
async function serve(handler) {
  const server = createServer(handler);
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml" };

/** Whether the page at `target` loads inside an iframe of a page of another origin. */
async function framed(t, target) {
  const parent = await serve((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(`<!doctype html><title>framer</title><iframe id="f" src="${target}" width="800" height="600"></iframe>`);
  });
  t.after(() => parent.server.close());
  const context = await browser.newContext();
  t.after(() => context.close().catch(() => {}));
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(parent.url);
  await page.waitForTimeout(3000);
  const child = page.frames().find((f) => f !== page.mainFrame());
  const rendered = child ? await child.locator(".topbar").count().catch(() => 0) : 0;
  return { rendered: rendered > 0, url: child ? child.url() : null, errors };
}

test("the served playground cannot be framed from another origin", async (t) => {
  // The served page sends the shipped policy.
  const { env } = await openApp(t, browser, { wait: "none" });
  const file = parseHeaders(readFileSync(join(REPO, "web", "_headers"), "utf8"));
  assert.equal(env.response.headers()["content-security-policy"], file["content-security-policy"]);
  assert.equal(env.response.headers()["x-frame-options"], "DENY");
  await env.assertClean();

  const r = await framed(t, BASE);
  t.diagnostic(`framed ${BASE}: ${JSON.stringify(r)}`);
  assert.equal(r.rendered, false, "the playground must not render inside another origin's frame");
  assert.ok(r.errors.length > 0 && r.errors.every((e) => /frame-ancestors|X-Frame-Options/.test(e)), `only the refusal is logged: ${JSON.stringify(r.errors)}`);
});

test("control: the same site from a host that ignores _headers can be framed (the check above detects framing)", async (t) => {
  const dist = process.env.PYWARD_DIST || join(REPO, "web", "dist");
  const plain = await serve((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(dist, path.endsWith("/") ? path + "index.html" : path);
    if (!file.startsWith(dist) || !existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] || "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  t.after(() => plain.server.close());
  const r = await poll(() => framed(t, plain.url), (r) => assert.equal(r.rendered, true, JSON.stringify(r)), { timeout: 20_000 });
  t.diagnostic(`framed ${plain.url}: rendered=${r.rendered}`);
});
