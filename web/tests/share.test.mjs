// Share links: code and settings go into the URL fragment and come back exactly.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { BASE, editorText, launch, openApp, poll, rows, setCode } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

const CODE = [
  "# Ünïcödé ✓ — 漢字 テスト Ελληνικά العربية",
  "import os",
  'greeting = "héllo wörld 😀👍🏽 🎉 𝔘𝔫𝔦"',
  'symbols = "#%&?+/=~ <>&amp; %20 \\\\n \\t"',
  "def f(a,\tb):",
  "\treturn greeting\t# tab-indented, tab before the comment",
  "",
  "",
  "os.system(a)   ",
  "    trailing spaces   ",
  "",
].join("\n");

test("4. share link round-trip: exact code (unicode, emoji, tabs, blank lines) and settings", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings", permissions: ["clipboard-read", "clipboard-write"] });

  // Settings that differ from the defaults.
  await page.locator("[data-testid=settings-toggle]").click();
  await page.selectOption("[data-testid=min-severity]", "high");
  await page.locator("input[data-family=secrets]").uncheck();

  await setCode(page, CODE);
  assert.equal(await editorText(page), CODE, "the editor holds the original before sharing");
  await poll(() => rows(page), (r) => assert.deepEqual(r, [{ rule: "os-command-injection", severity: "high", line: 9 }]));

  await page.locator("[data-testid=share]").click();
  const url = await poll(() => page.url(), (u) => assert.match(u, /#code\/v1\/[A-Za-z0-9_-]+$/));
  assert.ok(url.startsWith(BASE + "#"), url);
  const notice = await page.locator("[data-testid=notice]").innerText();
  assert.match(notice, /Link copied|address bar/);
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(clip, url, "the clipboard holds the link");
  assert.match(notice, new RegExp(`Link copied \\(${url.length} characters\\)`));

  // A new context: no localStorage, so everything restored comes from the link.
  const ctx2 = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  t.after(() => ctx2.close());
  const page2 = await ctx2.newPage();
  const errors2 = [];
  page2.on("console", (m) => m.type() === "error" && errors2.push(m.text()));
  page2.on("pageerror", (e) => errors2.push(String(e)));
  await page2.goto(url);
  await poll(() => rows(page2), (r) => assert.deepEqual(r, [{ rule: "os-command-injection", severity: "high", line: 9 }]));
  assert.equal(await editorText(page2), CODE, "the shared code comes back exactly");
  await page2.locator("[data-testid=settings-toggle]").click();
  assert.equal(await page2.locator("[data-testid=min-severity]").inputValue(), "high");
  assert.equal(await page2.locator("input[data-family=secrets]").isChecked(), false);
  assert.equal(await page2.locator("input[data-family=injection]").isChecked(), true);
  assert.deepEqual(errors2, []);
  await env.assertClean();
});

test("4b. a damaged share link shows a notice instead of breaking the page", async (t) => {
  const { page, env } = await openApp(t, browser, { url: BASE + "#code/v1/!!!not-base64" });
  const notice = await page.locator("[data-testid=notice]").innerText();
  assert.match(notice, /share link is damaged/);
  assert.equal(await editorText(page), "");
  await poll(() => page.locator("[data-testid=status]").innerText(), (s) => assert.match(s, /NO_ACTIONABLE_INPUT/));
  await env.assertClean();
});

// Made by the app when it deflated links itself (miniz_oxide, level 9; web/src/share.rs has the
// same link in its native tests): links shared before the browser's CompressionStream took over.
const OLD_LINK =
  "code/v1/NY9NasMwEIWvMiibBGIfQBdoeoY4BNka2wPSyGjkFBMCvUM3XRR6t56gR-i4JquB7_3w5m665NFYswMZXUYP7QKOIQWPGdqZgoefrw_4_f58b5jilHKBJA037LGHPPO-i_5gFZQktSxSMP4jgB0U11akRi7oGzZHI1gK8SDG3k0kvgreMFNZdMBIw6iOlXaJe9JUtw4L6U2xJ3FtQH_tXaRAqA1nbesyFjGXx9HkOaxwuzoHoALyFjhVeHNhBQDB8TC7QQ1wnpYyJr5swnOHhdPry2ljEUXUa2HNAwl4TWNOs2z65ErBzJu-r-v6oC8-_gA";

test("4c. a link shared by an older build opens exactly: code, settings and custom rules", async (t) => {
  const { page, env } = await openApp(t, browser, { url: BASE + "#" + OLD_LINK, wait: "status" });
  assert.equal(
    await editorText(page),
    "# shared by an older build ✓ 😀\nimport os\n\ndef run(cmd):\n\tos.system(cmd)  # tab-indented\n",
  );
  await page.locator("[data-testid=settings-toggle]").click();
  assert.equal(await page.locator("[data-testid=min-severity]").inputValue(), "high");
  assert.equal(await page.locator("input[data-family=secrets]").isChecked(), false);
  const rules = await page.locator("[data-testid=custom-rules]").inputValue();
  assert.match(rules, /^rules:\n {2}- id: no-eval\n[^]*pattern: eval\(\.\.\.\)\n$/);
  await env.assertClean();
});

test("4d. a share link that inflates past 4 MiB is refused with a notice", async (t) => {
  const bomb = deflateRawSync(Buffer.alloc(5 * 1024 * 1024, " "), { level: 9 }).toString("base64url");
  assert.ok(bomb.length < 20_000, `the bomb link is small (${bomb.length} characters)`);
  const { page, env } = await openApp(t, browser, { url: BASE + "#code/v1/" + bomb, wait: "status" });
  assert.match(await page.locator("[data-testid=notice]").innerText(), /share link is damaged or too large/);
  assert.equal(await editorText(page), "");
  await env.assertClean();
});
