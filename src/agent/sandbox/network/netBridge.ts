// Runs inside the sandbox (its own bundle, dist/netBridge.js, started with the host's node): the
// sandbox's network namespace has only loopback, so this listens on 127.0.0.1:<port> there and
// carries each connection to the filtering proxy's unix socket, bound in from the host. Then it
// starts the command with the proxy variables set and ends with the command's exit status.
// Usage: netBridge.js <socket> <port> -- <file> [args...]. Node built-ins only: nothing to bundle.
import { spawn } from 'node:child_process';
import * as net from 'node:net';

const [socketPath, portText, dashes, file, ...args] = process.argv.slice(2);
if (!socketPath || !/^\d+$/.test(portText ?? '') || dashes !== '--' || !file) {
  process.stderr.write('dwf network bridge: usage: netBridge.js <socket> <port> -- <command> [args...]\n');
  process.exit(125);
}

const server = net.createServer((inside) => {
  const proxy = net.connect(socketPath);
  inside.on('error', () => proxy.destroy());
  proxy.on('error', () => inside.destroy());
  inside.pipe(proxy);
  proxy.pipe(inside);
});
server.on('error', (e) => {
  process.stderr.write(
    `dwf network bridge: cannot listen on 127.0.0.1:${portText} inside the sandbox (${e.message}); the command was not run.\n`,
  );
  process.exit(125);
});
server.listen(Number(portText), '127.0.0.1', () => {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // set only so an editor's own binary runs this file as node
  const child = spawn(file, args, { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(s, forward(s));
  child.on('error', (e) => {
    process.stderr.write(`dwf network bridge: ${file} could not be started (${e.message}).\n`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
});
