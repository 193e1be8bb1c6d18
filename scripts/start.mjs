#!/usr/bin/env node
// `npm start`: the one command to try the extension. Builds the .vsix (scripts/package.mjs),
// installs it into a throw-away code-server profile, opens a scratch copy of examples-workspace/
// and prints the address to open in a browser. Ctrl+C stops the server and removes the scratch
// folder (KEEP_TMP=1 keeps it: runs are saved in its workspace copy).
//
// No API key is needed to start: set one in the UI (Workflows: Set API Key), or export
// ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL) before `npm start` and the extension host inherits it.
// The server listens on 127.0.0.1 on a random free port (PORT picks one) and asks for a random
// password printed below: loopback alone is not private (every local user and process can connect,
// and a guessable port with no login would hand them the editor, its terminal and the API key).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildVsix } from './package.mjs';
import { QUIET_SETTINGS, ensureTools, freePort, installVsix, killServerNow, makeProfile, projectRoot, startServer, stopServer, waitForServer, workbenchUrl } from './code-server.mjs';

async function main() {
  const started = Date.now();
  const tools = ensureTools({ browser: false }); // the person brings the browser
  const vsix = await buildVsix({ quiet: true });

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-start-'));
  const folder = path.join(scratch, 'examples-workspace');
  // A copy, so agents (which edit files) and saved runs never touch the repository.
  fs.cpSync(path.join(projectRoot, 'examples-workspace'), folder, { recursive: true });
  const profile = makeProfile(scratch, { ...QUIET_SETTINGS, 'workbench.startupEditor': 'readme' });
  installVsix(tools, profile, vsix);

  const port = await freePort(Number(process.env.PORT ?? 0));
  const logFile = path.join(scratch, 'server.log');
  // 24 random bytes: not guessable, and typed once per start (the browser keeps the session cookie).
  const password = randomBytes(24).toString('base64url');
  const server = startServer(tools, profile, { port, folder, logFile, password });
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('\nstopping code-server…\n');
    await stopServer(server);
    if (process.env.KEEP_TMP !== '1') fs.rmSync(scratch, { recursive: true, force: true });
    else process.stderr.write(`kept ${scratch}\n`);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGHUP', () => void stop(0));
  process.on('exit', () => killServerNow(server));
  server.on('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`code-server exited (${code ?? signal}); its log: ${logFile}\n`);
    process.exit(1);
  });

  await waitForServer(server, port);
  const key = process.env.ANTHROPIC_API_KEY ? 'ANTHROPIC_API_KEY from this shell' : 'none yet: F1 → "Workflows: Set API Key"';
  process.stdout.write(
    [
      '',
      `Dynamic Workflows is running in code-server (ready in ${((Date.now() - started) / 1000).toFixed(1)} s). Open in a browser:`,
      '',
      `  ${workbenchUrl(port, folder)}`,
      '',
      `  password   ${password}   (new on every start; only this terminal shows it)`,
      `  workspace  ${folder} (a scratch copy of examples-workspace/)`,
      `  API key    ${key}`,
      `  server log ${logFile}`,
      '',
      'Open tips.js, press F1 and run "Workflows: Run Current Script"; watch it in the Workflows view.',
      'Ctrl+C stops the server.',
      '',
    ].join('\n'),
  );
}

main().catch((e) => {
  process.stderr.write(`npm start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
