// The user's code is never lost: autosave and restore, the address bar following Copy link and
// edits, a share link pasted into the same tab, examples loaded over the user's code; and custom
// rules that fail say which rules are active, on Apply and on load.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { content, editorText, launch, loadExample, openApp, poll, rows, setCode, shot, sleep } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

const MINE = "import os\n# my own work ✓\nos.system(cmd)\n";

test("k1. edits are autosaved and come back after a reload", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  await setCode(page, MINE);
  await poll(() => rows(page), (r) => assert.deepEqual(r.map((x) => x.rule), ["os-command-injection"]));
  await page.reload();
  await page.locator("[data-testid=finding]").first().waitFor();
  assert.equal(await editorText(page), MINE, "the edited code, not the first example");
  assert.equal(await page.locator("[data-testid=examples] option").first().innerText(), "Examples…", "not an example");
  await env.assertClean();
});

test("k2. Copy link updates the address bar; an edit takes the stale link out, so a reload keeps the edit", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  await setCode(page, MINE);
  await page.locator("[data-testid=share]").click();
  const link = await poll(() => page.url(), (u) => assert.match(u, /#code\/v2\//));
  // Reloading the link as it is opens the same code.
  await page.reload();
  await page.locator("[data-testid=finding]").first().waitFor();
  assert.equal(await editorText(page), MINE);
  // An edit: the link no longer matches the code and leaves the address bar.
  await content(page).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("x = 1\n");
  await poll(() => page.url(), (u) => assert.doesNotMatch(u, /#/));
  await page.reload();
  await page.locator("[data-testid=finding]").first().waitFor();
  assert.equal(await editorText(page), MINE + "x = 1\n", "the edit survives the reload");
  assert.notEqual(page.url(), link);
  await env.assertClean();
});

test("k3. a share link pasted into the same tab (only the # part changes) opens; the previous code is one Undo away", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  const OTHER = "import pickle\npickle.loads(data)\n";
  await setCode(page, OTHER);
  await page.locator("[data-testid=share]").click();
  const link = await poll(() => page.url(), (u) => assert.match(u, /#code\/v2\//));
  await setCode(page, MINE);
  await poll(() => page.url(), (u) => assert.doesNotMatch(u, /#/));
  await poll(() => rows(page), (r) => assert.deepEqual(r.map((x) => x.rule), ["os-command-injection"]));
  // The user pastes the link into the address bar of this tab.
  await page.evaluate((h) => (location.hash = h), new URL(link).hash);
  await poll(() => editorText(page), (s) => assert.equal(s, OTHER));
  await poll(() => rows(page), (r) => assert.deepEqual(r.map((x) => x.rule), ["unsafe-deserialization-pickle"]));
  assert.match(await page.locator("[data-testid=notice]").innerText(), /previous code is one Undo away/);
  await content(page).click();
  await page.keyboard.press("Control+z");
  await poll(() => editorText(page), (s) => assert.equal(s, MINE));
  await env.assertClean();
});

test("k4. an example loaded over the user's code keeps it one Undo away, and the menu names the example", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  const menu = page.locator("[data-testid=examples]");
  assert.match(await menu.locator("option").first().innerText(), /^Example: Flask/, "the first example is named on a fresh page");
  await setCode(page, MINE);
  await poll(() => menu.locator("option").first().innerText(), (s) => assert.match(s, /^Edited: Flask/));
  await loadExample(page, "clean_app");
  const title = await menu.locator("option[value=clean_app]").innerText();
  await poll(() => menu.locator("option").first().innerText(), (s) => assert.equal(s, `Example: ${title}`));
  assert.equal(await menu.inputValue(), "", "the same example can be chosen again");
  assert.match(await page.locator("[data-testid=notice]").innerText(), new RegExp(`Loaded the example .${title.replace(/[()]/g, "\\$&")}.*one Undo away`));
  await shot(page, "example-loaded-undo.png");
  await page.keyboard.press("Control+z");
  await poll(() => editorText(page), (s) => assert.equal(s, MINE));
  // An example over an unedited example: nothing to undo, so no notice.
  await loadExample(page, "clean_app");
  await page.locator("[data-testid=notice] button").click();
  await loadExample(page, "flask_sqli_xss");
  await sleep(300);
  assert.equal(await page.locator("[data-testid=notice]").count(), 0);
  await env.assertClean();
});

const GOOD = `rules:
  - id: workshop-no-print-secret
    languages: [python]
    severity: LOW
    message: A secret value is printed
    pattern: print(..., $USER.password, ...)
`;
const BROKEN = "rules:\n  - id: broken\n    severity: HUGE\n    message: m\n    pattern: f()\n";

test("k5. custom rules: a failed Apply says which rules are active; broken saved rules show their error on load", async (t) => {
  const { page, env } = await openApp(t, browser, { wait: "findings" });
  await setCode(page, "print(user.password)\n");
  await page.locator("[data-testid=settings-toggle]").click();
  await page.locator("details.custom-rules summary").click();
  const area = page.locator("[data-testid=custom-rules]");
  const status = page.locator("[data-testid=rules-status]");
  await area.fill(BROKEN);
  await page.locator("[data-testid=apply-rules]").click();
  await poll(() => status.innerText(), (s) => assert.match(s, /Not applied: .*severity.*Active now: the built-in rules only\./s));
  await area.fill(GOOD);
  await page.locator("[data-testid=apply-rules]").click();
  await poll(() => rows(page), (r) => assert.deepEqual(r.map((x) => x.rule), ["workshop-no-print-secret"]));
  await area.fill(BROKEN);
  await page.locator("[data-testid=apply-rules]").click();
  await poll(() => status.innerText(), (s) => assert.match(s, /Active now: the built-in rules and the 1 custom rule last applied\./));
  assert.deepEqual((await rows(page)).map((x) => x.rule), ["workshop-no-print-secret"], "the last good rules still run");

  // The broken text was kept; on the next load its error shows without opening the settings.
  await page.reload();
  const banner = page.locator("[data-testid=rules-error-banner]");
  await poll(() => banner.innerText(), (s) => assert.match(s, /Your custom rules did not load: .*severity.*Active now: the built-in rules only\./s), { timeout: 20_000 });
  assert.equal(await banner.getAttribute("role"), "alert");
  assert.equal(await page.locator("[data-testid=settings]").count(), 0, "the settings are closed");
  await shot(page, "rules-error-on-load.png");
  await banner.locator("button").click();
  await poll(() => status.innerText(), (s) => assert.match(s, /severity/));
  await env.assertClean();
});
