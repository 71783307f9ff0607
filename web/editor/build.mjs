// Bundle src/editor.js into one minified ES module.
// Usage: node build.mjs [outfile]   (default: dist/editor.js)
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outfile = resolve(process.argv[2] || resolve(here, "dist/editor.js"));

await build({
  entryPoints: [resolve(here, "src/editor.js")],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  platform: "browser",
  legalComments: "none",
  outfile,
  logLevel: "warning",
});

const buf = readFileSync(outfile);
const kb = (n) => (n / 1024).toFixed(1) + " KiB";
console.log(`${outfile}: ${kb(buf.length)} minified, ${kb(gzipSync(buf, { level: 9 }).length)} gzipped`);
