// The bwrap arguments that give a sandboxed command filtered network: its own network namespace
// (only loopback), the proxy's unix socket and the bridge program bound under /run (a tmpfs of
// its own inside), the proxy variables every common client reads, and the command started by the
// bridge once it listens. Nothing inside can open a connection except through the proxy.
import * as path from 'node:path';

/** The bridge's port on the sandbox's own loopback (nothing else listens there). */
export const BRIDGE_PORT = 3128;
const INSIDE_DIR = '/run/dwf-net';
const INSIDE_SOCKET = `${INSIDE_DIR}/proxy.sock`;
const INSIDE_BRIDGE = `${INSIDE_DIR}/netBridge.js`;
const PROXY_URL = `http://127.0.0.1:${BRIDGE_PORT}`;
const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'];

/** Next to the bundle (dist/netBridge.js) or, transpiled for tests, next to this file. */
export function netBridgePath(): string {
  return path.join(__dirname, 'netBridge.js');
}

/** Mounts and environment for the sandbox (after the /run tmpfs, before `--`). */
export function bridgeBwrapArgs(hostSocket: string, bridge = netBridgePath()): string[] {
  const args = ['--ro-bind', hostSocket, INSIDE_SOCKET, '--ro-bind', bridge, INSIDE_BRIDGE];
  for (const v of PROXY_VARIABLES) args.push('--setenv', v, PROXY_URL);
  // Node's own fetch/http read the variables only when asked to (Node ≥ 24; older ones ignore it).
  args.push('--setenv', 'NODE_USE_ENV_PROXY', '1');
  // A NO_PROXY from the host would send "local" names past the proxy, into the empty namespace.
  args.push('--unsetenv', 'NO_PROXY', '--unsetenv', 'no_proxy');
  // In an editor, process.execPath is Electron's binary; this makes it run the bridge as node.
  args.push('--setenv', 'ELECTRON_RUN_AS_NODE', '1');
  return args;
}

/** The command after `--`: the bridge, which starts `bash -c command` once it listens. */
export function bridgedCommand(command: string, node = process.execPath): string[] {
  return [node, INSIDE_BRIDGE, INSIDE_SOCKET, String(BRIDGE_PORT), '--', 'bash', '-c', command];
}
