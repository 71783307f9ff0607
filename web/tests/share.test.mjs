// Share links: code and settings go into the URL fragment and come back exactly.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { BASE, editorText, launch, openApp, poll, rows, setCode, shot, sleep, status } from "./lib.mjs";

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
  const url = await poll(() => page.url(), (u) => assert.match(u, /#code\/v2\/[A-Za-z0-9_-]+$/));
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

test("4b. a damaged share link shows a persistent error instead of breaking the page", async (t) => {
  const { page, env } = await openApp(t, browser, { url: BASE + "#code/v1/!!!not-base64" });
  const error = page.locator("[data-testid=link-error]");
  assert.match(await error.innerText(), /share link is damaged/);
  assert.equal(await error.getAttribute("role"), "alert");
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
  assert.match(await page.locator("[data-testid=notice]").innerText(), /older version .* no checksum/);
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
  assert.match(await page.locator("[data-testid=link-error]").innerText(), /share link is damaged .*inflates past 4 MiB/);
  assert.equal(await editorText(page), "");
  await env.assertClean();
});

/** Makes a share link of `code` with the page's own Copy link (the current format). */
async function shareLink(page, code) {
  await setCode(page, code);
  const before = page.url();
  await page.locator("[data-testid=share]").click();
  return poll(() => page.url(), (u) => assert.ok(u !== before && /#code\/v2\//.test(u), u));
}

// A high-severity injection finding and a medium weak-hash one.
const INJECTION = "import os, hashlib\nos.system(cmd)\nh = hashlib.md5(password)\n";
const BOTH = ["os-command-injection", "weak-hash-for-security"];

test("4e. a link's settings apply to that view only: a notice says what it hides, one click restores your own", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  // The sender's link hides the injection rules and everything under high severity.
  await page.locator("[data-testid=settings-toggle]").click();
  await page.selectOption("[data-testid=min-severity]", "high");
  await page.locator("input[data-family=injection]").uncheck();
  const link = await shareLink(page, INJECTION);

  // The recipient has their own saved settings (all rules, from low severity).
  const own = { min_severity: "low", min_confidence: "low", disabled_families: [] };
  const { page: p2, env: env2 } = await openApp(t, browser, { wait: "findings" });
  await p2.evaluate((s) => localStorage.setItem("pyward.settings.v1", JSON.stringify(s)), own);
  const saved = await p2.evaluate(() => localStorage.getItem("pyward.settings.v1"));
  await p2.goto(link);
  const notice = p2.locator("[data-testid=view-settings]");
  await notice.waitFor();
  assert.match(await notice.innerText(), /This link hides: Injection \(SQL, OS command, code\) rules; minimum severity: high\./);
  assert.match(await notice.innerText(), /apply to this view only; your saved settings are unchanged/);
  await poll(() => status(p2), (s) => assert.match(s, /finding.* hidden by your filters/s));
  assert.deepEqual(await rows(p2), [], "the link's settings hide both findings in this view");
  assert.equal(await p2.evaluate(() => localStorage.getItem("pyward.settings.v1")), saved, "the saved settings are not rewritten");
  await shot(p2, "share-link-settings-notice.png");

  // Changing a setting in this view still does not touch the saved ones.
  await p2.locator("[data-testid=settings-toggle]").click();
  assert.match(await p2.locator("[data-testid=settings-view-only]").innerText(), /this view only/);
  await p2.selectOption("[data-testid=min-confidence]", "medium");
  await sleep(300);
  assert.equal(await p2.evaluate(() => localStorage.getItem("pyward.settings.v1")), saved);
  await p2.locator("[data-testid=settings-toggle]").click();

  // One click: the recipient's own settings, and every finding.
  await p2.locator("[data-testid=use-own-settings]").click();
  await poll(() => rows(p2), (r) => assert.deepEqual(r.map((x) => x.rule).sort(), BOTH));
  assert.equal(await notice.count(), 0, "the notice goes");
  assert.equal(await p2.evaluate(() => localStorage.getItem("pyward.settings.v1")), saved);

  // A fresh context opening the link: nothing of the link is saved either.
  const { page: p3, env: env3 } = await openApp(t, browser, { url: link, wait: "status" });
  await p3.locator("[data-testid=view-settings]").waitFor();
  assert.equal(await p3.evaluate(() => localStorage.getItem("pyward.settings.v1")), null, "a link writes no settings");
  await env.assertClean();
  await env2.assertClean();
  await env3.assertClean();
});

test("4f. findings hidden by your filters are never reported as clean, and one click shows them", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  await setCode(page, INJECTION);
  await poll(() => rows(page), (r) => assert.deepEqual(r.map((x) => x.rule).sort(), BOTH));
  await page.locator("[data-testid=settings-toggle]").click();
  await page.selectOption("[data-testid=min-severity]", "critical");
  await page.locator("[data-testid=settings-toggle]").click();
  const s = await poll(() => status(page), (s) => assert.match(s, /FINDINGS_HIDDEN/));
  assert.doesNotMatch(s, /NO_SECURITY_ISSUES|No security issues/);
  assert.match(s, /2 findings hidden by your filters/);
  assert.deepEqual(await rows(page), []);
  await page.locator("[data-testid=show-hidden]").click();
  await poll(() => rows(page), (r) => assert.equal(r.length, 2));
  assert.match(await page.locator("[data-testid=view-settings]").innerText(), /Showing every finding in this view/);
  const saved = JSON.parse(await page.evaluate(() => localStorage.getItem("pyward.settings.v1")));
  assert.equal(saved.min_severity, "critical", "the saved settings stay");
  await page.locator("[data-testid=use-own-settings]").click();
  await poll(() => status(page), (s) => assert.match(s, /2 findings hidden by your filters/));
  // Rows hidden by the severity buttons count too, with findings on screen.
  await page.locator("[data-testid=show-hidden]").click();
  await poll(() => rows(page), (r) => assert.equal(r.length, 2));
  await page.locator("[data-testid=count-high]").locator("xpath=..").click();
  await poll(() => page.locator("[data-testid=hidden-findings]").innerText(), (s) => assert.match(s, /1 finding hidden by your filters/));
  await env.assertClean();
});

test("4g. no single-character corruption of a share link opens altered code; an unknown version says so", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  const CODE = "import os\n# ✓ shared 😀\ndef run(cmd):\n    os.system(cmd)\n    return eval(cmd)\n";
  const link = await shareLink(page, CODE);
  const frag = link.slice(link.indexOf("#") + 1);
  const SENTINEL = "# my own code\n";
  await setCode(page, SENTINEL);
  const error = page.locator("[data-testid=link-error]");
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  let total = 0;
  let altered = 0;
  let refused = 0;
  for (let i = 0; i < frag.length; i++) {
    // One substitution per position: the next base64url character (the prefix's too; the
    // link's characters are all base64url or "/").
    const c = frag[i];
    const sub = c === "/" ? "A" : alphabet[(alphabet.indexOf(c) + 1) % alphabet.length];
    const bad = frag.slice(0, i) + sub + frag.slice(i + 1);
    if (await error.count()) await error.locator("button").click();
    await page.evaluate((h) => (location.hash = h), bad);
    total++;
    const outcome = await poll(
      async () => ((await error.count()) ? "refused" : (await editorText(page)) !== SENTINEL ? "altered" : "waiting"),
      (o) => assert.notEqual(o, "waiting"),
      { timeout: 3000, interval: 10 },
    ).catch(() => "ignored");
    if (outcome === "refused") refused++;
    else {
      altered++;
      t.diagnostic(`position ${i} (${c} -> ${sub}): ${outcome}`);
      await setCode(page, SENTINEL);
    }
  }
  t.diagnostic(`single-character corruptions of a ${frag.length}-character link: ${altered} of ${total} opened altered code or nothing, ${refused} refused`);
  assert.equal(altered, 0);
  assert.equal(refused, total);
  assert.match(await error.innerText(), /damaged/);
  assert.equal(await editorText(page), SENTINEL, "the user's code stays");
  await shot(page, "share-link-damaged.png");

  // The error stays (notices go after 6 s).
  await sleep(6500);
  assert.equal(await error.count(), 1, "the error is persistent");

  // A link of a newer format says so.
  await error.locator("button").click();
  await page.evaluate((h) => (location.hash = h), frag.replace("code/v2/", "code/v3/"));
  await poll(() => error.innerText(), (s) => assert.match(s, /format v3, which this version of the playground cannot read/));
  assert.equal(await editorText(page), SENTINEL);
  await env.assertClean();
});

test("4h. a link over 8 KB warns that some chat tools cut long links", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings", permissions: ["clipboard-read", "clipboard-write"] });
  // Random names do not compress: about 12 KB of link.
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed);
  const lines = [];
  for (let i = 0; i < 400; i++) lines.push(`v${i} = "${Array.from({ length: 20 }, () => "abcdefghijklmnopqrstuvwxyz"[rnd() % 26]).join("")}"`);
  await setCode(page, lines.join("\n") + "\n");
  await page.locator("[data-testid=share]").click();
  const url = await poll(() => page.url(), (u) => assert.match(u, /#code\/v2\//));
  assert.ok(url.length > 8192, `${url.length} characters`);
  assert.match(await page.locator("[data-testid=notice]").innerText(), /Warning: this link is \d+ KB long.*cut links over 8 KB/);
  // A short link does not warn.
  await setCode(page, "x = 1\n");
  await page.locator("[data-testid=share]").click();
  await poll(() => page.locator("[data-testid=notice]").innerText(), (s) => assert.match(s, /Link copied \(\d{2,3} characters\)/));
  assert.doesNotMatch(await page.locator("[data-testid=notice]").innerText(), /Warning/);
  await env.assertClean();
});
