// Shrinks the playground's own scripts in the built site, in place (run by build-web.sh):
// 1. The wasm-bindgen imports of both modules get short names: each wasm module imports ~50-170
//    functions from its glue under names like `__wbg_setattribute_5fb4d4ac12c6a8bb`, written
//    out in both the .wasm and the glue; they become `a`, `b`, … in both (and the import
//    module `./NAME_bg.js` becomes `a`).
// 2. The glue, main.js, boot.js, worker.js, share.js and style.css are minified (esbuild).
// The sources in web/ stay readable. Together about 10 KB of the page gzipped.
// Usage: node minify.mjs DIST
import { transform } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dist = process.argv[2];
if (!dist) throw new Error("usage: node minify.mjs DIST");

function readLeb(buf, at) {
  let n = 0;
  let shift = 0;
  for (;;) {
    const b = buf[at++];
    n += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [n, at];
  }
}

function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
}

const str = (s) => Buffer.concat([leb(Buffer.byteLength(s)), Buffer.from(s)]);

function shortName(i) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let s = "";
  do {
    s = letters[i % 52] + s;
    i = Math.floor(i / 52);
  } while (i);
  return s;
}

/** Renames the function imports of `module` in the wasm binary; returns {old: new}. */
function renameImports(wasm, module) {
  const parts = [wasm.subarray(0, 8)];
  const names = new Map();
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = readLeb(wasm, at + 1);
    const end = start + size;
    if (id !== 2) {
      parts.push(wasm.subarray(at, end));
      at = end;
      continue;
    }
    let [count, p] = readLeb(wasm, start);
    const body = [leb(count)];
    while (count--) {
      let len;
      [len, p] = readLeb(wasm, p);
      const mod = wasm.toString("utf8", p, p + len);
      p += len;
      [len, p] = readLeb(wasm, p);
      const field = wasm.toString("utf8", p, p + len);
      p += len;
      const kind = wasm[p];
      const descStart = p++;
      if (kind === 0) [, p] = readLeb(wasm, p); // function: type index
      else if (kind === 1) [, p] = readLeb(wasm, readLeb(wasm, p + 1)[1]); // table: reftype, limits
      else if (kind === 2) {
        const flags = wasm[p];
        [, p] = readLeb(wasm, p + 1);
        if (flags & 1) [, p] = readLeb(wasm, p);
      } else if (kind === 3) p += 2; // global: valtype, mutability
      else throw new Error(`import kind ${kind}`);
      if (kind === 0 && mod === module) {
        if (!names.has(field)) names.set(field, shortName(names.size));
        body.push(str("a"), str(names.get(field)), wasm.subarray(descStart, p));
      } else {
        body.push(str(mod), str(field), wasm.subarray(descStart, p));
      }
    }
    const section = Buffer.concat(body);
    parts.push(Buffer.from([2]), leb(section.length), section);
    at = end;
  }
  return { wasm: Buffer.concat(parts), names };
}

for (const m of ["pyward_web", "pyward_wasm", "pyward_full"]) {
  const wasmPath = join(dist, `${m}_bg.wasm`);
  const jsPath = join(dist, `${m}.js`);
  const { wasm, names } = renameImports(readFileSync(wasmPath), `./${m}_bg.js`);
  if (names.size === 0) continue; // already done
  let js = readFileSync(jsPath, "utf8");
  for (const [old, short] of names) {
    const re = new RegExp(`(?<![\\w$])${old.replace(/\$/g, "\\$")}(?![\\w$])`, "g");
    const n = (js.match(re) || []).length;
    if (n !== 1) throw new Error(`${m}.js: import ${old} found ${n} times`);
    js = js.replace(re, short);
  }
  const key = `"./${m}_bg.js":`;
  if (js.split(key).length !== 2) throw new Error(`${m}.js: import module ${key} not found once`);
  writeFileSync(jsPath, js.replace(key, "a:"));
  writeFileSync(wasmPath, wasm);
}

for (const f of ["pyward_web.js", "pyward_wasm.js", "pyward_full.js", "main.js", "boot.js", "worker.js", "share.js", "style.css"]) {
  const path = join(dist, f);
  const css = f.endsWith(".css");
  const { code } = await transform(readFileSync(path, "utf8"), {
    loader: css ? "css" : "js",
    format: css ? undefined : "esm",
    minify: true,
    target: "es2020",
    legalComments: "none",
    logLevel: "warning",
  });
  writeFileSync(path, code);
}
