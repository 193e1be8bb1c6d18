#!/usr/bin/env node
// The end-to-end test in a real browser, as a person uses the extension: the packaged .vsix is
// installed into a fresh code-server (fresh profile), the fake Messages API runs in its own process
// with some latency so the run can be watched, and headless Chromium (playwright-core) opens
// examples-workspace/tips.js with Quick Open, runs "Workflows: Run Current Script" from the palette
// (F1, type, Enter; Run in the pre-run dialog when there is one) and watches the Runs tree until
// its 20 agents are done. Then approve.js's agent asks to run a shell command: Allow once in the
// notification (screenshot-approval.png) and the agent finishes. Then examples-workspace/fails.js fails at a known line: the run row names the
// error and line, and its inline Go to Error puts the cursor there (read from the status bar). Last, tips.js
// runs again, is stopped from its row and resumed inline: only the agents that had not finished reach
// the model, and the row ends `20/20 done · N cached`. Screenshots of the tree mid-run and at the end: screenshot-running.png
// and screenshot-done.png in out/e2e/, or in media/ (the README's copies) with E2E_SHOTS=media;
// by default a test run leaves the tracked images alone.
//
//   npm run build:test && node scripts/e2e.mjs      (npm run test:e2e)
//   E2E_SHOTS=media npm run test:e2e                (refresh the README's screenshots)
//
// Prints one line per check and `N passed, N failed` last; exits 1 on a failure. Environment:
// E2E_SHOTS (folder for the screenshots), E2E_LATENCY_MS (fake model latency, 1200),
// E2E_TIMEOUT_MS (whole test, 300000), KEEP_TMP=1 (keep the scratch folder: server log, profile),
// plus CODE_SERVER / NODE24_BIN / CHROMIUM like scripts/vscode-host.mjs.
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TS_PLUGIN, buildVsix } from './package.mjs';
import { QUIET_SETTINGS, ensureTools, freePort, installVsix, killServerNow, loadPlaywright, makeProfile, projectRoot, startServer, stopServer, waitForServer, workbenchUrl } from './code-server.mjs';
import { clickRowAction, collectTree, cursorFromStatusBar, expandCollapsed, newestRow, openFromQuickOpen, openRunRows, settle, runFromPalette, showRunsView, treeRows, widenSideBar } from '../test/e2e/workbench.mjs';

const API_KEY = 'sk-ant-e2e-test';
const SCRIPT = 'tips.js';
/** The pre-run dialog's run button: "Run", or "Run 20 Agents" when the plan makes it a large run (tips.js is one). */
const RUN_BUTTON = /^Run( \d+ Agents?)?$/;
const RUN_NAME = 'tips';
/** A script that throws a TypeError on this line (examples-workspace/fails.js). */
const FAILS_SCRIPT = 'fails.js';
const FAILS_LINE = 10;
/** The agents tips.js starts: twelve tips in parallel, then four topics through two stages. */
const TOPICS = ['caching', 'retries', 'logging', 'naming', 'testing', 'types', 'errors', 'config', 'docs', 'security', 'performance', 'accessibility'];
const AGENTS = [...TOPICS.map((t) => `tip:${t}`), ...TOPICS.slice(0, 4).flatMap((t) => [`draft:${t}`, `polish:${t}`])];

const env = process.env;
const shots = env.E2E_SHOTS ? path.resolve(projectRoot, env.E2E_SHOTS) : path.join(projectRoot, 'out', 'e2e');
// Long enough that a loaded machine still opens the Runs view (≈5 s after Run) while agents are
// mid-flight: the run then lasts ≈17 s (five waves of four agents).
const latencyMs = Number(env.E2E_LATENCY_MS ?? 2500);
const timeoutMs = Number(env.E2E_TIMEOUT_MS ?? 300_000);
const deadline = Date.now() + timeoutMs;
const left = () => Math.max(1000, deadline - Date.now());

const results = [];
function pass(name, detail = '') {
  results.push(true);
  process.stdout.write(`  ✓ ${name}${detail ? ` (${detail})` : ''}\n`);
}

/** The fake Messages API in a child process; resolves with its URL and a stats() probe. */
async function startFake() {
  const child = fork(path.join(projectRoot, 'out', 'test', 'e2e', 'fakeServer.js'), [], {
    // The polish stage of the first run waits until release(): the mid-run screenshot and check
    // cannot miss a run that a loaded machine raced through.
    env: { ...env, FAKE_API_KEY: API_KEY, FAKE_LATENCY_MS: String(latencyMs), FAKE_HOLD: '^Shorten to at most twelve words' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the fake server exited (${code}); run \`npm run build:test\` first`)));
    child.once('message', (m) => resolve(m.url));
  });
  const stats = () =>
    new Promise((resolve) => {
      child.once('message', (m) => resolve(m.stats));
      child.send({ cmd: 'stats' });
    });
  const release = () => child.send({ cmd: 'release' });
  return { child, url, stats, release };
}

async function main() {
  const started = Date.now();
  const tools = ensureTools();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-e2e-'));
  let server, fake, browser, failure;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await stopServer(server);
    fake?.child.kill();
  };
  process.on('exit', () => killServerNow(server));
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => void cleanup().finally(() => process.exit(130)));

  let step = 'package';
  try {
    // 1. The package a person would install, into a fresh profile.
    const vsix = await buildVsix({ quiet: true });
    fake = await startFake();
    const folder = path.join(scratch, 'examples-workspace');
    fs.cpSync(path.join(projectRoot, 'examples-workspace'), folder, { recursive: true });
    // The endpoint through the setting, the key through the server's environment (the extension
    // host inherits it): both the way a person configures a gateway without typing a key.
    // Four agents at a time, so the mid-run screenshot has some of each state; no sticky tree
    // headers, which would cover rows in the screenshots.
    const settings = { ...QUIET_SETTINGS, 'dynamicWorkflows.baseUrl': fake.url, 'dynamicWorkflows.concurrency': 4, 'workbench.tree.enableStickyScroll': false };
    const profile = makeProfile(scratch, settings, { isolateHome: true });
    for (const k of Object.keys(profile.env)) if (k.startsWith('ANTHROPIC_') || k.startsWith('CLAUDE_')) delete profile.env[k];
    const t0 = Date.now();
    const installed = installVsix(tools, profile, vsix);
    pass('the packaged .vsix installs into a fresh code-server', `${installed.join(', ')}; ${Date.now() - t0} ms`);
    // tsserver loads the typed-API plugin by package name from the installed extension's node_modules.
    const plugin = path.join(profile.extensions, installed[0], 'node_modules', TS_PLUGIN);
    for (const f of ['package.json', 'index.js', 'workflow-api.d.ts'])
      if (!fs.existsSync(path.join(plugin, f))) throw new Error(`the installed extension lacks node_modules/${TS_PLUGIN}/${f}`);
    pass('the installed extension holds the TypeScript server plugin where tsserver looks for it');

    step = 'workbench';
    const port = await freePort();
    server = startServer(tools, profile, { port, folder, logFile: path.join(scratch, 'server.log'), env: { ANTHROPIC_API_KEY: API_KEY } });
    await waitForServer(server, port);
    const { chromium } = loadPlaywright();
    browser = await chromium.launchPersistentContext(profile.chromiumProfile, {
      executablePath: tools.chromium,
      headless: true,
      env: profile.env,
      viewport: { width: 1440, height: 960 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(30_000);
    await page.goto(workbenchUrl(port, folder), { timeout: left() });
    await openFromQuickOpen(page, SCRIPT);
    pass(`the workbench opens ${SCRIPT} from Quick Open`);

    step = 'run';
    const dialog = await runFromPalette(page, 'Workflows: Run Current Script', { confirm: RUN_BUTTON });
    await showRunsView(page);
    await widenSideBar(page, 620);
    // Agents spinning and at least four done, counted by the run row too: container rows refresh
    // less often than agent rows, and the screenshot should not catch them a beat behind.
    const mid = await waitForTree(page, 'agents running and some done', (rows) => {
      const agents = rows.filter((r) => AGENTS.includes(r.label));
      const runDone = Number(/^(\d+)(?:\/| of ≥)/.exec(rows.find((r) => r.label === RUN_NAME)?.description ?? '')?.[1] ?? 0);
      return runDone >= 4 && agents.some((a) => a.icon === 'loading') && agents.filter((a) => a.icon === 'pass').length >= 4;
    });
    fs.mkdirSync(shots, { recursive: true });
    await settle(page);
    await page.screenshot({ path: path.join(shots, 'screenshot-running.png') });
    const spinning = mid.filter((r) => AGENTS.includes(r.label) && r.icon === 'loading').length;
    fake.release();
    pass('Run Current Script from the palette starts a run; the Runs tree shows it live', `${dialog ? 'pre-run dialog confirmed; ' : ''}${spinning} agents spinning`);

    step = 'done';
    await waitForTree(page, 'the run finished', (rows) => rows.some((r) => r.label === RUN_NAME && r.icon === 'pass'));
    const all = await collectTree(page);
    const run = all.find((r) => r.label === RUN_NAME);
    if (!/^20\/20 done/.test(run?.description ?? '')) throw new Error(`the run row says "${run?.description}", expected 20/20 done`);
    const agents = all.filter((r) => AGENTS.includes(r.label));
    const notDone = AGENTS.filter((label) => !agents.some((a) => a.label === label && a.icon === 'pass'));
    if (agents.length !== AGENTS.length || notDone.length) throw new Error(`${agents.length} agent rows; not shown done: ${notDone.join(', ') || '(duplicates)'}`);
    for (const label of ['Brainstorm', 'Refine', 'parallel ×12']) {
      if (!all.some((r) => r.label === label)) throw new Error(`no "${label}" row in the tree`);
    }
    if (!all.some((r) => /^pipeline ×4/.test(r.label))) throw new Error('no pipeline row in the tree');
    const { requests, errors } = await fake.stats();
    if (requests !== 20 || errors !== 0) throw new Error(`the fake API saw ${requests} requests (${errors} errors), expected 20 and 0`);
    await settle(page);
    await page.screenshot({ path: path.join(shots, 'screenshot-done.png') });
    pass('all 20 agents reach done in the Runs tree', `${run.description}; 20 model requests with the key; ${expandedByHand} collapsed nodes opened by hand`);

    step = 'screenshots';
    for (const f of ['screenshot-running.png', 'screenshot-done.png']) {
      const size = fs.statSync(path.join(shots, f)).size;
      if (size < 20_000) throw new Error(`${f} is only ${size} bytes`);
    }
    pass('screenshots written', path.relative(process.cwd(), shots) || '.');

    step = 'approve';
    // approve.js's agent asks for a shell command no rule allows: a notification asks, with links.
    await openFromQuickOpen(page, 'approve.js', { firstTime: false });
    await runFromPalette(page, 'Workflows: Run Current Script', { confirm: RUN_BUTTON });
    // Earlier runs' rows count as "started" for runFromPalette: a dialog coming a beat later is confirmed here.
    await confirmIfAsked(page, RUN_BUTTON);
    const question = page.locator('.notification-toast', { hasText: 'echo approved-by-a-person' }).first();
    await question.waitFor({ state: 'visible', timeout: 60_000 });
    await page.screenshot({ path: path.join(shots, 'screenshot-approval.png') });
    await question.locator('a', { hasText: /^Allow once$/ }).first().click();
    await question.waitFor({ state: 'hidden', timeout: 30_000 });
    await showRunsView(page);
    const approved = await waitForTree(page, 'the approved run', (rows) => rows.some((r) => r.label === 'approve' && r.icon === 'pass'));
    const approvedRun = approved.find((r) => r.label === 'approve');
    const ran = (await fake.stats()).toolResults.some((t) => t.includes('approved-by-a-person') && !/denied/i.test(t));
    if (!ran) throw new Error('the approved command\'s output never reached the model');
    pass('an agent\'s unlisted shell command asks in a notification; Allow once closes it and the agent finishes', approvedRun.description);

    step = 'go to error';
    // fails.js throws at a known line after one agent: the run row names the error and the line,
    // and its inline Go to Error puts the cursor there.
    await openFromQuickOpen(page, FAILS_SCRIPT, { firstTime: false });
    await runFromPalette(page, 'Workflows: Run Current Script', { confirm: RUN_BUTTON });
    // Earlier runs' rows count as "started" for runFromPalette: a dialog coming a beat later is confirmed here.
    await confirmIfAsked(page, RUN_BUTTON);
    await showRunsView(page);
    const failed = await waitForTree(page, 'the failing run', (rows) => rows.some((r) => r.label === 'fails' && r.icon === 'error' && /TypeError/.test(r.description)));
    const failedRun = failed.find((r) => r.label === 'fails');
    if (!new RegExp(`line ${FAILS_LINE}\\b`).test(failedRun.description)) throw new Error(`the failed run row says "${failedRun.description}", expected line ${FAILS_LINE}`);
    // Somewhere else first, so the jump is the action's doing.
    await openFromQuickOpen(page, SCRIPT, { firstTime: false });
    await clickRowAction(page, 'fails', 'Go to Error');
    await page.locator('.tabs-container .tab.active[aria-label^="fails.js"]').waitFor({ state: 'visible' });
    let cursor;
    for (const until = Date.now() + 15_000; Date.now() < until; await page.waitForTimeout(200)) {
      cursor = await cursorFromStatusBar(page);
      if (cursor?.line === FAILS_LINE) break;
    }
    if (cursor?.line !== FAILS_LINE) throw new Error(`after Go to Error the status bar says ${JSON.stringify(cursor)}, expected line ${FAILS_LINE}`);
    pass('a failing script shows its error on the run row; inline Go to Error puts the cursor on the line', `${failedRun.description}; Ln ${cursor.line}, Col ${cursor.column}`);

    step = 'stop and resume';
    // tips.js again, stopped from its row in the Runs tree once some agents are done, then resumed
    // inline: the agents that finished are replayed from the journal, only the rest reach the model.
    // Its tab is still open from the step before, behind fails.js, where Go to Error left the focus.
    await page.locator(`.tabs-container .tab[aria-label^="${SCRIPT}"]`).first().click();
    await page.locator(`.tabs-container .tab.active[aria-label^="${SCRIPT}"]`).waitFor({ state: 'visible' });
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await runFromPalette(page, 'Workflows: Run Current Script', { confirm: RUN_BUTTON });
    await confirmIfAsked(page, RUN_BUTTON);
    await showRunsView(page);
    await waitForRow(page, 'the second tips run with agents done', RUN_NAME, (row) => row.icon === 'loading' && doneCount(row) >= 4);
    await clickRowAction(page, RUN_NAME, 'Stop Run');
    const stoppedRow = await waitForRow(page, 'the stopped run', RUN_NAME, (row) => row.icon === 'debug-stop');
    // The total is what had started by then (the pipeline may not have): `4/12 done · 8 stopped`.
    const stoppedAt = /^(\d+)\/(\d+) done · .*?(\d+) stopped/.exec(stoppedRow.description);
    if (!stoppedAt) throw new Error(`the stopped run row says "${stoppedRow.description}", expected "N/M done · … K stopped"`);
    const finishedBefore = Number(stoppedAt[1]);
    const requestsBefore = (await fake.stats()).requests;
    await clickRowAction(page, RUN_NAME, 'Resume');
    const resumeDialog = await confirmIfAsked(page, RUN_BUTTON);
    const resumedRow = await waitForRow(page, 'the resumed run finished', RUN_NAME, (row) => row.icon === 'pass');
    if (!new RegExp(`^20/20 done · ${finishedBefore} cached`).test(resumedRow.description)) {
      throw new Error(`the resumed run row says "${resumedRow.description}", expected 20/20 done · ${finishedBefore} cached`);
    }
    const rerun = (await fake.stats()).requests - requestsBefore;
    if (rerun !== 20 - finishedBefore) throw new Error(`the model saw ${rerun} requests after Resume, expected ${20 - finishedBefore}: only the agents that had not finished`);
    // Only the resumed run's own rows, its collapsed parallel group opened: the tree is virtual and
    // earlier runs' rows around it say nothing about this one.
    const cachedRows = (await openRunRows(page, RUN_NAME)).filter((r) => AGENTS.includes(r.label) && r.icon === 'history').length;
    if (cachedRows === 0) throw new Error('no agent row shows the cached (replayed) icon after Resume');
    pass('Stop from the run row, inline Resume: finished agents are replayed, not re-run, and the tree ends done', `stopped at "${stoppedRow.description}"; ${resumeDialog ? 'pre-run dialog confirmed; ' : ''}${rerun} model requests after Resume; "${resumedRow.description}"`);

    step = 'typed hover';
    // The TypeScript server plugin from the installed .vsix: hovering agent in the workflow script
    // shows the runtime's documentation. tsserver starts on the first JavaScript file and a hover
    // before it is ready is empty, so move away and hover again until it answers.
    await openFromQuickOpen(page, SCRIPT, { firstTime: false });
    const token = page.locator('.editor-instance .view-lines span', { hasText: /^agent$/ }).first();
    const hover = page.locator('.monaco-hover', { hasText: 'Starts one subagent' }).first();
    for (const until = Date.now() + Math.min(90_000, left()); ; ) {
      await token.hover();
      if (await hover.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false)) break;
      if (Date.now() > until) throw new Error(`hovering agent in ${SCRIPT} never showed its documentation: the TypeScript plugin did not load`);
      await page.mouse.move(5, 5);
    }
    await page.screenshot({ path: path.join(shots, 'screenshot-typed.png') });
    pass(`hover on agent in ${SCRIPT} shows the typed API's documentation (the TypeScript plugin from the .vsix)`);

    step = 'typed completion';
    // Inside the first `model: 'haiku'` literal: the model aliases are offered as values.
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+F');
    await page.keyboard.type("'haiku'");
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Control+Space');
    const suggest = page.locator('.editor-widget.suggest-widget', { hasText: 'sonnet' }).first();
    await suggest.waitFor({ state: 'visible', timeout: 30_000 });
    const offered = (await suggest.locator('.monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim());
    for (const alias of ['opus', 'sonnet', 'haiku']) if (!offered.includes(alias)) throw new Error(`completion inside model: '' offered ${offered.join(', ')}; ${alias} missing`);
    await page.screenshot({ path: path.join(shots, 'screenshot-completion.png') });
    await page.keyboard.press('Escape');
    pass(`completion inside model: '…' offers the model aliases (${offered.slice(0, 6).join(', ')})`);
  } catch (e) {
    failure = `${step}: ${(e instanceof Error ? e.message : String(e)).replace(/\x1b\[[0-9;]*m/g, '')}`;
    results.push(false);
    process.stdout.write(`  ✗ ${failure}\n`);
    const page = browser?.pages()[0];
    if (page) {
      await page.screenshot({ path: path.join(scratch, 'failure.png') }).catch(() => undefined);
      // The side bar's DOM: what a changed selector or tree needs to be looked at.
      const html = await page.locator('.part.sidebar').innerHTML().catch(() => '');
      fs.writeFileSync(path.join(scratch, 'failure-sidebar.html'), html);
    }
  } finally {
    await cleanup();
  }
  const keep = !!failure || env.KEEP_TMP === '1';
  if (keep) process.stderr.write(`e2e: scratch kept in ${scratch} (server.log, failure.png, failure-sidebar.html, ud/logs)\n`);
  else fs.rmSync(scratch, { recursive: true, force: true });
  const passed = results.filter(Boolean).length;
  process.stderr.write(`e2e: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.stdout.write(`${passed} passed, ${results.length - passed} failed\n`);
  process.exitCode = failure ? 1 : 0;
}

/** The finished count a run row leads with (`3 of ≥12 done`, `8/20 done`). */
function doneCount(row) {
  return Number(/^(\d+)(?:\/| of )/.exec(row?.description ?? '')?.[1] ?? 0);
}

/** Polls the newest run row labelled `label` until `ready(row)`, without opening other rows. */
async function waitForRow(page, what, label, ready) {
  const until = Math.min(deadline, Date.now() + 90_000);
  for (;;) {
    const row = await newestRow(page, label);
    if (row && ready(row)) return row;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; the row says ${JSON.stringify(row)}`);
    await page.waitForTimeout(100);
  }
}

/** Presses the modal dialog's `button` when one comes up within a few seconds (the pre-run dialog). */
async function confirmIfAsked(page, button) {
  const dialog = page.locator('.monaco-dialog-box');
  const shown = await dialog.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false);
  if (shown) await dialog.getByRole('button', { name: button, exact: typeof button === 'string' }).click();
  return shown;
}

/** Rows expanded by hand so far (see expandCollapsed). */
let expandedByHand = 0;

/** Polls the Runs tree, opening collapsed nodes as they appear, until `ready(rows)`; returns the rows. */
async function waitForTree(page, what, ready) {
  const until = Math.min(deadline, Date.now() + 90_000);
  for (;;) {
    expandedByHand += await expandCollapsed(page);
    const rows = await treeRows(page);
    if (ready(rows)) return rows;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; the tree shows: ${rows.map((r) => `${r.label}[${r.icon}]`).join(', ') || 'nothing'}`);
    await page.waitForTimeout(100);
  }
}

main().catch((e) => {
  process.stderr.write(`e2e: ${e instanceof Error ? e.message : String(e)}\n`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exitCode = 1;
});
