// The pure parts of the sandbox: the bwrap command line, the protected paths, the settings and
// the detection verdict when bwrap is missing.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  applyEnvOverride,
  bwrapArgs,
  CommandSandbox,
  DEFAULT_SANDBOX_SETTINGS,
  networkPolicy,
  parseSandboxSettings,
  probeSandbox,
  protectedPaths,
  protectedMounts,
} from '../../../src/agent/sandbox';
import { tempRepo } from './helpers';

/** The index of `flag` followed by `values` in args, or -1. */
function at(args: string[], ...seq: string[]): number {
  for (let i = 0; i + seq.length <= args.length; i++) if (seq.every((s, j) => args[i + j] === s)) return i;
  return -1;
}

describe('sandbox-os: bwrap argv, protected paths, settings', () => {
  const plan = {
    writable: ['/w/a', '/w/b', '/w/a'],
    pinned: ['/w/a/.git'],
    readOnly: ['/w/a/.git/config', '/w/a/.claude'],
    tmpDir: '/tmp/dwf-sandbox-tmp-x',
    network: false,
    cwd: '/w/a',
  };

  it('isolates PID, IPC and network, dies with its parent, and has no terminal', () => {
    const args = bwrapArgs(plan);
    for (const flag of ['--die-with-parent', '--new-session', '--unshare-pid', '--unshare-ipc', '--unshare-net'])
      assert.ok(args.includes(flag), flag);
    assert.ok(at(args, '--proc', '/proc') >= 0, 'a /proc of its own PID namespace');
    assert.ok(at(args, '--dev', '/dev') >= 0, 'a minimal /dev');
    assert.ok(at(args, '--tmpfs', '/run') >= 0, 'no host sockets under /run');
  });

  it('mount order: read-only host, then private /tmp, then writable roots, then protected paths read-only again', () => {
    const args = bwrapArgs(plan);
    const ro = at(args, '--ro-bind', '/', '/');
    const tmp = at(args, '--bind', plan.tmpDir, '/tmp');
    const rootA = at(args, '--bind', '/w/a', '/w/a');
    const rootB = at(args, '--bind', '/w/b', '/w/b');
    const pinned = at(args, '--bind', '/w/a/.git', '/w/a/.git');
    const cfg = at(args, '--ro-bind', '/w/a/.git/config', '/w/a/.git/config');
    const claude = at(args, '--ro-bind', '/w/a/.claude', '/w/a/.claude');
    assert.ok(
      ro >= 0 && ro < tmp && tmp < rootA && rootA < rootB && rootB < pinned && pinned < cfg && cfg < claude,
      args.join(' '),
    );
    assert.equal(args.filter((a) => a === '/w/a').length, 3, 'a repeated root is bound once (+ --chdir)');
    assert.ok(at(args, '--chdir', '/w/a') >= 0);
  });

  it('network: own namespace unless allowed; resolv.conf under /run is bound back', () => {
    const args = bwrapArgs({ ...plan, network: true, resolvConf: '/run/systemd/resolve/stub-resolv.conf' });
    assert.ok(!args.includes('--unshare-net'));
    assert.ok(
      at(args, '--ro-bind', '/run/systemd/resolve/stub-resolv.conf', '/run/systemd/resolve/stub-resolv.conf') >
        at(args, '--tmpfs', '/run'),
    );
  });

  it('protected paths: existing git config and hooks; missing .claude/.vscode/.git/hooks/.git/modules created empty', () => {
    const root = tempRepo();
    try {
      fs.rmSync(path.join(root, '.git', 'hooks'), { recursive: true, force: true });
      const list = protectedPaths([root], [path.join(root, 'nope'), path.join(root, '.git')]);
      for (const rel of ['.claude', '.vscode', '.git/config', '.git/hooks', '.git/modules', '.git'])
        assert.ok(list.includes(path.join(root, rel)), rel);
      assert.ok(!list.includes(path.join(root, 'nope')), 'missing extras are skipped');
      for (const rel of ['.claude', '.vscode', '.git/hooks', '.git/modules', '.git/worktrees'])
        assert.deepEqual(fs.readdirSync(path.join(root, rel)), []);
      const mounts = protectedMounts([root]);
      assert.deepEqual(mounts.pinned, [path.join(root, '.git')], 'the git dir is bound onto itself');
      assert.ok(mounts.readOnly.includes(path.join(root, '.git/worktrees')));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('settings: Claude Code names, defaults closed, bad values reported and ignored, DWF_SANDBOX', () => {
    const problems: string[] = [];
    assert.deepEqual(DEFAULT_SANDBOX_SETTINGS, {
      enabled: true,
      failIfUnavailable: false,
      allowedDomains: [],
      deniedDomains: [],
    });
    const s = parseSandboxSettings(
      { enabled: true, failIfUnavailable: true, network: { allowedDomains: ['github.com'] } },
      'u.json',
      problems,
    );
    assert.deepEqual(s, { enabled: true, failIfUnavailable: true, allowedDomains: ['github.com'], deniedDomains: [] });
    assert.deepEqual(problems, []);
    const bad = parseSandboxSettings({ enabled: 'no', network: { allowedDomains: 'x' } }, 'u.json', problems);
    assert.deepEqual(bad, DEFAULT_SANDBOX_SETTINGS);
    assert.equal(problems.length, 2);
    assert.match(problems[0], /u\.json: "sandbox\.enabled" must be true or false/);
    assert.deepEqual(networkPolicy(DEFAULT_SANDBOX_SETTINGS), { kind: 'none' });
    assert.deepEqual(networkPolicy({ ...s, allowedDomains: ['*'] }), { kind: 'all' });
    assert.equal(networkPolicy(s).kind, 'filtered', 'a domain list goes through the proxy');
    assert.equal(
      networkPolicy({ ...s, allowedDomains: ['*'], deniedDomains: ['evil.example.com'] }).kind,
      'filtered',
      '"*" with a deny list is filtered too',
    );
    assert.equal(applyEnvOverride(DEFAULT_SANDBOX_SETTINGS, 'require', problems).failIfUnavailable, true);
    assert.equal(applyEnvOverride(DEFAULT_SANDBOX_SETTINGS, 'off', problems).enabled, false);
    applyEnvOverride(DEFAULT_SANDBOX_SETTINGS, 'maybe', problems);
    assert.match(problems[problems.length - 1], /DWF_SANDBOX="maybe": expected require, auto or off/);
  });

  it('a domain list: empty network namespace, the proxy socket and bridge bound under /run, proxy variables, the bridge starts the command', async () => {
    const available = () => ({ available: true as const, bwrap: '/usr/bin/bwrap' });
    const root = tempRepo();
    const sb = new CommandSandbox({
      settings: { ...DEFAULT_SANDBOX_SETTINGS, allowedDomains: ['github.com'] },
      support: available,
    });
    try {
      const plan = await sb.prepare('echo hi', root, [root], { key: 'a', label: 'A' });
      assert.ok(plan.ok);
      const args = plan.launch.args;
      const dashes = args.indexOf('--');
      assert.ok(args.slice(0, dashes).includes('--unshare-net'));
      const sock = args[args.indexOf('/run/dwf-net/proxy.sock') - 1];
      assert.match(sock, /dwf-net-[^/]+\/\d+\.sock$/, 'the host socket lives in its own temp dir');
      assert.equal(fs.statSync(path.dirname(sock)).mode & 0o777, 0o700);
      assert.ok(
        at(args, '--tmpfs', '/run') < at(args, '--ro-bind', sock, '/run/dwf-net/proxy.sock'),
        'bound after the /run tmpfs',
      );
      for (const v of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'])
        assert.ok(at(args, '--setenv', v, 'http://127.0.0.1:3128') >= 0, v);
      assert.ok(at(args, '--unsetenv', 'NO_PROXY') >= 0 && at(args, '--unsetenv', 'no_proxy') >= 0);
      assert.deepEqual(args.slice(dashes + 1), [
        process.execPath,
        '/run/dwf-net/netBridge.js',
        '/run/dwf-net/proxy.sock',
        '3128',
        '--',
        'bash',
        '-c',
        'echo hi',
      ]);
      const again = await sb.prepare('true', root, [root], { key: 'a', label: 'A' });
      const other = await sb.prepare('true', root, [root], { key: 'b', label: 'B' });
      assert.ok(again.ok && other.ok);
      assert.ok(again.launch.args.includes(sock), 'one proxy per agent, reused');
      assert.ok(!other.launch.args.includes(sock), 'another agent gets its own');
      const open = await new CommandSandbox({
        settings: { ...DEFAULT_SANDBOX_SETTINGS, allowedDomains: ['*'] },
        support: available,
      }).prepare('true', root, [root]);
      assert.ok(
        open.ok && !open.launch.args.includes('--unshare-net') && !open.launch.args.includes('/run/dwf-net/proxy.sock'),
        '["*"]: the host network, no proxy',
      );
    } finally {
      sb.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('detection: a missing bwrap is "unavailable" with the reason and what to install', () => {
    const v = probeSandbox('/nonexistent/bwrap');
    assert.equal(v.available, false);
    assert.match((v as { reason: string }).reason, /could not be run.*apt-get install bubblewrap/);
  });

  it('unavailable + failIfUnavailable: the command is refused; unavailable alone: supervised, warned once', async () => {
    const unavailable = () => ({ available: false as const, reason: 'no bwrap here.' });
    const strict = new CommandSandbox({
      settings: { ...DEFAULT_SANDBOX_SETTINGS, failIfUnavailable: true },
      support: unavailable,
    });
    const refused = await strict.prepare('true', '/', ['/']);
    assert.equal(refused.ok, false);
    assert.match((refused as { reason: string }).reason, /OS sandbox is required .* unavailable: no bwrap here\./);
    const logs: string[] = [];
    const lax = new CommandSandbox({ support: unavailable, log: (m) => logs.push(m) });
    const a = await lax.prepare('true', '/', ['/']);
    const b = await lax.prepare('true', '/', ['/']);
    assert.ok(a.ok && b.ok && !a.launch.sandboxed && a.launch.file === 'bash');
    assert.equal(logs.length, 1);
    assert.match(logs[0], /^warning: Agent commands run WITHOUT the OS sandbox: no bwrap here\..*DWF_SANDBOX=require/);
  });
});
