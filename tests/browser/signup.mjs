// The signup in a real browser: Debian's headless Chromium, driven by
// playwright-core.  node signup.mjs URL PROFILE_DIR
// With JavaScript: the landing page at /, a refused address shown inline
// (the JSON answer), a good one reaching the thanks page, then the
// members' home at /.  Without JavaScript: the plain form post does the
// same.  Prints ok/FAIL lines and "N passed, N failed".
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";

const [url, profiles] = process.argv.slice(2);
let passed = 0, failed = 0;
function check(name, cond, detail) {
  if (cond) { passed++; console.log("ok   " + name); }
  else { failed++; console.log("FAIL " + name + (detail ? "\n     " + detail : "")); }
}

const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

async function browser(js) {
  return chromium.launchPersistentContext(mkdtempSync(join(profiles, "profile-")), {
    executablePath: "/usr/bin/chromium", headless: true, args, javaScriptEnabled: js, timeout: 60000,
  });
}

async function withJs() {
  const ctx = await browser(true);
  const page = ctx.pages()[0] || await ctx.newPage();
  page.setDefaultTimeout(20000);
  const res = await page.goto(url + "?utm_source=test&utm_campaign=browser");
  check("JS: GET / answers 200", res.status() === 200, res.status());
  check("JS: / is the landing page with the signup form",
    await page.locator("form[data-hone-signup] input[name=email]").count() === 1);
  // HTML accepts a@b; the server does not: the message appears inline
  await page.fill("input[name=email]", "someone@localhost");
  await page.click("form[data-hone-signup] button[type=submit]");
  const err = page.locator("#signup-error");
  await err.waitFor();
  const text = await err.textContent();
  check("JS: a refused address is shown inline, no reload", /valid email/.test(text), text);
  check("JS: still on the landing page", new URL(page.url()).pathname === "/", page.url());
  await page.fill("input[name=email]", "browser.js@example.org");
  await Promise.all([
    page.waitForURL(/\/thanks\/$/),
    page.click("form[data-hone-signup] button[type=submit]"),
  ]);
  check("JS: the signup reaches the thanks page", /Thank you/.test(await page.textContent("h1")));
  const cookies = await ctx.cookies();
  const m = cookies.find((c) => c.name === "hone_member");
  check("JS: the member cookie is set, HttpOnly, SameSite=Lax",
    m && m.httpOnly && m.sameSite === "Lax", JSON.stringify(m));
  check("JS: scripts cannot read the cookie",
    !(await page.evaluate(() => document.cookie)).includes("hone_member"));
  await page.goto(url);
  check("JS: / is now the members' home",
    (await page.content()).includes("Members only hello") &&
    await page.locator("form[data-hone-signup]").count() === 0);
  await ctx.close();
}

async function withoutJs() {
  const ctx = await browser(false);
  const page = ctx.pages()[0] || await ctx.newPage();
  page.setDefaultTimeout(20000);
  await page.goto(url);
  await page.fill("input[name=email]", "someone@localhost");
  await Promise.all([page.waitForLoadState("load"),
    page.click("form[data-hone-signup] button[type=submit]")]);
  await page.waitForSelector("#signup-error");
  check("no JS: a refused address shows the form again with the message",
    /valid email/.test(await page.textContent("#signup-error")));
  check("no JS: the visitor's input is kept",
    await page.inputValue("input[name=email]") === "someone@localhost");
  await page.fill("input[name=email]", "browser.nojs@example.org");
  await Promise.all([
    page.waitForURL(/\/thanks\/$/),
    page.click("form[data-hone-signup] button[type=submit]"),
  ]);
  check("no JS: the plain form post reaches the thanks page",
    /Thank you/.test(await page.textContent("h1")));
  await page.goto(url);
  check("no JS: / is now the members' home",
    (await page.content()).includes("Members only hello"));
  await ctx.close();
}

try {
  await withJs();
  await withoutJs();
} catch (e) {
  check("the browser run finished", false, String(e && e.stack || e).slice(0, 800));
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
