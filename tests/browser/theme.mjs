// The default theme in a real browser: Debian's headless Chromium, driven
// by playwright-core.   node theme.mjs URL SHOTS_DIR PROFILE_DIR POST_PATH...
//
// Opens the landing page (the anonymous home at /), the posts and, after a
// signup, the members' home at / and the thanks page, at 375 px and
// 1280 px wide, in the light and the dark colour scheme.  For each: a
// full-page screenshot in SHOTS_DIR (NAME-WIDTH-SCHEME.png), no horizontal
// scroll at 375 px, the signup form inside the first screen on the landing
// page (and a refused address shown next to its field), and axe-core (injected into the page) reporting no serious or
// critical violation of WCAG 2.1 A/AA or axe's best practices.
// Prints ok/FAIL lines and "N passed, N failed".
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const [url, shots, profiles, ...posts] = process.argv.slice(2);
const origin = new URL(url).origin;
let passed = 0, failed = 0;
function check(name, cond, detail) {
  if (cond) { passed++; console.log("ok   " + name); }
  else { failed++; console.log("FAIL " + name + (detail ? "\n     " + detail : "")); }
}

const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const sizes = [{ width: 375, height: 667 }, { width: 1280, height: 720 }];
const schemes = ["light", "dark"];

async function axe(page, name) {
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    resultTypes: ["violations"],
  }));
  const bad = res.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of res.violations.filter((x) => !bad.includes(x)))
    console.log(`note ${name}: axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.length})`);
  check(`${name}: axe finds no serious or critical violation`, bad.length === 0,
    bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n       ` +
      v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " " + (n.failureSummary || "").replace(/\s+/g, " ")).join("\n       ")
    ).join("\n     "));
}

async function visit(page, path, name, extra, status = 200) {
  for (const scheme of schemes) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of sizes) {
      const tag = `${name} ${size.width}px ${scheme}`;
      await page.setViewportSize(size);
      const res = await page.goto(url + path, { waitUntil: "load" });
      check(`${tag}: ${status}`, res && res.status() === status, res && res.status());
      const m = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
        h1: document.querySelectorAll("h1").length,
      }));
      if (size.width === 375)
        check(`${tag}: no horizontal scroll`, m.scroll <= m.inner, `scrollWidth ${m.scroll} > ${m.inner}`);
      check(`${tag}: one h1`, m.h1 === 1, `${m.h1} h1 elements`);
      if (extra) await extra(page, tag, size);
      await page.screenshot({ path: join(shots, `${name}-${size.width}-${scheme}.png`), fullPage: true });
      await axe(page, tag);
    }
  }
}

async function formAboveTheFold(page, tag, size) {
  const r = await page.evaluate(() => {
    const f = document.querySelector("form[data-hone-signup]");
    if (!f) return null;
    const b = f.getBoundingClientRect();
    const btn = f.querySelector("button[type=submit]").getBoundingClientRect();
    return { top: b.top, bottom: b.bottom, btn: btn.bottom, h: window.innerHeight };
  });
  check(`${tag}: the signup form is there`, r !== null);
  if (r) check(`${tag}: the signup form is visible without scrolling (${size.height}px high)`,
    r.top >= 0 && r.bottom <= r.h, JSON.stringify(r));
}

// the narrowest phones: nothing wider than the screen
async function narrow(page, paths) {
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 320, height: 568 });
  for (const p of paths) {
    await page.goto(url + p, { waitUntil: "load" });
    const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    check(`/${p} 320px: no horizontal scroll`, m.scroll <= m.inner, `scrollWidth ${m.scroll} > ${m.inner}`);
  }
}

// the landing page after a refused address: the message next to the field
async function refused(page) {
  for (const scheme of schemes) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of sizes) {
      const tag = `landing, refused ${size.width}px ${scheme}`;
      await page.setViewportSize(size);
      await page.goto(url, { waitUntil: "load" });
      await page.fill("input[name=email]", "someone@localhost");
      await page.click("form[data-hone-signup] button[type=submit]");
      const err = page.locator("#signup-error");
      await err.waitFor();
      const r = await page.evaluate(() => {
        const e = document.getElementById("signup-error"), i = document.getElementById("signup-email");
        const a = e.getBoundingClientRect(), b = i.getBoundingClientRect();
        return { gap: a.top - b.bottom, inview: a.bottom <= window.innerHeight,
          invalid: i.getAttribute("aria-invalid"), by: i.getAttribute("aria-describedby") || "" };
      });
      check(`${tag}: the message is right below the field, on screen`,
        r.gap >= 0 && r.gap < 90 && r.inview, JSON.stringify(r));
      check(`${tag}: the field is marked invalid and described by the message`,
        r.invalid === "true" && r.by.split(" ").includes("signup-error"), JSON.stringify(r));
      await page.screenshot({ path: join(shots, `landing-refused-${size.width}-${scheme}.png`) });
      await axe(page, tag);
    }
  }
}

async function isMembersHome(page, tag) {
  const c = await page.evaluate(() => ({
    form: document.querySelectorAll("form[data-hone-signup]").length,
    posts: document.querySelectorAll(".post-list .card").length,
  }));
  check(`${tag}: the members' home (posts, no signup form)`, c.form === 0 && c.posts > 0, JSON.stringify(c));
}

let ctx;
try {
  ctx = await chromium.launchPersistentContext(mkdtempSync(join(profiles, "profile-")), {
    executablePath: "/usr/bin/chromium", headless: true, args, timeout: 60000, bypassCSP: true,
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  page.setDefaultTimeout(20000);
  await visit(page, "", "landing", formAboveTheFold);
  await refused(page);
  await narrow(page, ["", "welcome/"]);
  for (const p of posts) await visit(page, p, "post-" + p.replace(/\/$/, "").split("/").pop());
  // a member: sign up through the real endpoint; the context keeps the cookie
  const r = await ctx.request.post(url + "signup", {
    form: { email: "screenshots@example.org", landing: "/welcome/", referrer: "theme test" },
    headers: { Origin: origin, Accept: "application/json" },
  });
  check("signup for the members' pages: 200 JSON", r.status() === 200, `${r.status()} ${await r.text()}`);
  await visit(page, "", "members-home", isMembersHome);
  await visit(page, "thanks/", "thanks");
  await visit(page, "tags/", "tags");
  await visit(page, "series/tour-of-hone/", "series");
  await visit(page, "no/such/page/", "404", null, 404);
  await narrow(page, ["", "thanks/", "about/", "tags/", "series/", "categories/guides/", "page/2/", ...posts]);
} catch (e) {
  check("the browser run finished", false, String(e && e.stack || e).slice(0, 800));
} finally {
  if (ctx) await ctx.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
