// Browser tests of the coursesync web console: playwright-core driving Debian's Chromium through
// the whole admin path (log in, change a setting, upload a creation file, run it from the manual
// operations page, see the courses, generate a deletion file from a selection, run it, clean the
// empty categories, history, log out). One screenshot per step goes to CS_ARTIFACTS.
//
// Environment: CS_BASE_URL (e.g. http://127.0.0.1:40123), CS_ADMIN_PASSWORD, CS_ARTIFACTS (folder
// for screenshots, default build/browser-artifacts), CHROMIUM (default /usr/bin/chromium).
// Prints one line per step and ends with "N passed, N failed"; exits 1 when a step failed.
import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const base = process.env.CS_BASE_URL;
const password = process.env.CS_ADMIN_PASSWORD;
const artifacts = path.resolve(process.env.CS_ARTIFACTS || "build/browser-artifacts");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!base || !password) {
  console.error("CS_BASE_URL and CS_ADMIN_PASSWORD are required");
  console.log("0 passed, 1 failed");
  process.exit(1);
}
fs.mkdirSync(artifacts, { recursive: true });

const CREATION_FILE = [
  "shortname;fullname;category",
  "BT-1;Browser one;Browser/Kept",
  "BT-2;Browser two;Browser/Kept",
  "BT-3;Browser three;Browser/Temp",
  "BT-4;<script>alert(1)</script>;Browser/Temp",
  "",
].join("\n");

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  viewport: { width: 1280, height: 900 },
});
context.setDefaultTimeout(20000);
const page = context.pages()[0] || (await context.newPage());
const dialogs = [];
page.on("dialog", async (d) => {
  dialogs.push(d.message());
  await d.accept(); // the console's own confirmations ("Delete these ... categories?")
});
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(String(e)));

let passed = 0;
let failed = 0;
let n = 0;
function expect(cond, what) {
  if (!cond) throw new Error(what);
}
async function step(name, fn) {
  n += 1;
  const shot = path.join(artifacts, `${String(n).padStart(2, "0")}-${name}.png`);
  try {
    await fn();
    passed += 1;
    console.log(`ok ${n} - ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`not ok ${n} - ${name}: ${e && e.message ? e.message.split("\n")[0] : e}`);
  }
  try {
    await page.screenshot({ path: shot, fullPage: true });
  } catch (e) {
    console.log(`# no screenshot for ${name}: ${e.message}`);
  }
}
const text = async (sel) => (await page.locator(sel).first().innerText()).trim();

// Waits for a run page to reach its final state; returns the outcome text.
async function waitRunDone() {
  await page.waitForURL(/\/run\/jobs\/\d+$/);
  await page.waitForFunction(
    () => document.getElementById("job")?.getAttribute("data-state") === "done",
    null,
    { timeout: 60000 },
  );
  return text("#job-state");
}

await step("no-access-without-login", async () => {
  const r = await page.goto(`${base}/settings`);
  expect(r.ok(), `status ${r.status()}`);
  expect(new URL(page.url()).pathname === "/login", `landed on ${page.url()}`);
});

await step("login", async () => {
  await page.getByLabel("User name").fill("admin");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(/\/settings$/);
  expect((await text("h1")) === "Settings", "not on the settings page");
});

await step("keyboard-skip-link", async () => {
  await page.goto(`${base}/run`);
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement?.textContent);
  expect(focused === "Skip to content", `first Tab focuses ${focused}`);
});

await step("setting-validation-error", async () => {
  await page.goto(`${base}/settings`);
  await page.getByLabel("Deletion safety threshold (%)").fill("500");
  await page.getByRole("button", { name: "Save the settings" }).click();
  const err = await text("#e-courses_deletethreshold");
  expect(/whole number from 0 to 100/.test(err), `error beside the field: ${err}`);
  expect(/Nothing was saved/.test(await text(".notice-error")), "no summary of errors");
});

await step("change-a-setting", async () => {
  await page.goto(`${base}/settings`);
  await page.getByRole("group", { name: "Force course update" }).getByLabel("Yes").check();
  await page.getByRole("button", { name: "Save the settings" }).click();
  await page.waitForURL(/\/settings$/);
  const notice = await text(".notice-ok");
  expect(/Settings saved \(1 changed\)/.test(notice), `notice: ${notice}`);
  const yes = page.getByRole("group", { name: "Force course update" }).getByLabel("Yes");
  expect(await yes.isChecked(), "force update not saved");
});

await step("upload-creation-file", async () => {
  await page.goto(`${base}/files`);
  await page.getByLabel("Folder", { exact: true }).selectOption("");
  await page.getByLabel("File", { exact: true }).setInputFiles({
    name: "uploadcourses.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(CREATION_FILE),
  });
  await page.getByRole("button", { name: "Upload" }).click();
  const notice = await text(".notice-ok");
  expect(/Uploaded uploadcourses\.csv/.test(notice), `notice: ${notice}`);
  expect((await page.getByRole("link", { name: "uploadcourses.csv" }).count()) === 1, "not listed");
});

await step("run-creation-from-manual-operations", async () => {
  await page.goto(`${base}/run`);
  await page.getByRole("radio", { name: "Create or update courses" }).check();
  await page.getByRole("radio", { name: "Use the configured file" }).check();
  expect(/present/.test(await page.locator("text=uploadcourses.csv").first().locator("..").innerText()),
    "configured file not shown as present");
  await page.getByRole("button", { name: "Run now" }).click();
  const outcome = await waitRunDone();
  expect(outcome === "completed", `outcome ${outcome}`);
  const totals = await text("ul.totals");
  expect(/created: 4/.test(totals), `totals: ${totals}`);
  expect((await page.getByText("No line failed.").count()) === 1, "failed lines shown");
});

await step("see-created-courses", async () => {
  await page.goto(`${base}/utilities/generate?kind=delete`);
  await page.getByLabel("Search shortname, full name or ID number").fill("BT-");
  await page.getByRole("button", { name: "Filter" }).click();
  const rows = page.locator("tbody tr");
  expect((await rows.count()) === 4, `rows: ${await rows.count()}`);
  // The course named <script>alert(1)</script> is shown as text, never run.
  expect((await page.getByText("<script>alert(1)</script>", { exact: true }).count()) === 1,
    "script course name not shown as text");
  expect(dialogs.length === 0, `a dialog opened: ${dialogs.join(", ")}`);
});

await step("generate-deletion-file-from-selection", async () => {
  await page.goto(`${base}/utilities/generate?kind=delete`);
  const value = await page.evaluate(() => {
    const o = [...document.querySelectorAll("#f-category option")].find((x) =>
      x.textContent.includes("Browser/Temp"));
    return o ? o.value : null;
  });
  expect(value, "category Browser/Temp not offered");
  await page.getByLabel("Category (with its subcategories)").selectOption(value);
  await page.getByRole("button", { name: "Filter" }).click();
  expect((await page.locator("tbody tr").count()) === 2, "Browser/Temp should hold 2 courses");
  await page.getByLabel("Select every course on this page").check();
  expect((await page.locator("input[name=ids]:checked").count()) === 2, "select-page did not tick");
  await page.getByRole("radio", { name: "The courses ticked on this page" }).check();
  await page.getByRole("button", { name: "Generate the deletion file" }).click();
  const notice = await text(".notice-ok");
  expect(/Deletion file written/.test(notice) && /with 2 course\(s\)/.test(notice), notice);
  await page.getByRole("link", { name: "files/deletecourses.csv" }).click();
  const content = await text("pre");
  expect(content.split("\n").sort().join(",") === "BT-3,BT-4", `file: ${content}`);
});

await step("run-deletion", async () => {
  await page.goto(`${base}/run`);
  await page.getByRole("radio", { name: "Delete courses" }).check();
  await page.getByRole("radio", { name: "Use the configured file" }).check();
  await page.getByLabel(/bypass the safety threshold/).check();
  await page.getByRole("button", { name: "Run now" }).click();
  const outcome = await waitRunDone();
  expect(outcome === "completed", `outcome ${outcome}`);
  expect(/deleted: 2/.test(await text("ul.totals")), "2 courses should be deleted");
});

await step("clean-empty-categories", async () => {
  await page.goto(`${base}/utilities/cleancats`);
  const list = await text("#empty-categories");
  expect(list === "Browser/Temp", `preview: ${list}`);
  await page.getByRole("button", { name: /Confirm: delete these empty categories/ }).click();
  const notice = await text(".notice-ok");
  expect(/1 empty category deleted/.test(notice) && /Browser\/Temp/.test(notice), notice);
  expect(dialogs.some((d) => /Delete these 1 empty categories/.test(d)), "no confirmation asked");
  expect((await page.getByText("There is no empty category here.").count()) === 1, "not recomputed");
});

await step("history-chart", async () => {
  await page.goto(`${base}/history`);
  expect((await page.locator("svg.chart").count()) === 1, "no chart");
  const rows = await page.locator("tbody tr").count();
  expect(rows >= 3, `runs listed: ${rows}`);
  await page.locator("tbody tr a").first().click();
  expect(/Run #\d+/.test(await text("h1")), "no run page");
});

await step("logout", async () => {
  await page.getByRole("button", { name: "Log out" }).click();
  await page.waitForURL(/\/login$/);
  await page.goto(`${base}/run`);
  expect(new URL(page.url()).pathname === "/login", "still logged in");
  expect(pageErrors.length === 0, `script errors: ${pageErrors.join("; ")}`);
});

await context.close();
fs.rmSync(userDataDir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
