// Real commands in bubblewrap: what an allowed command can still not do. Each test performs the
// attack and checks the host afterwards.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { DEFAULT_SANDBOX_SETTINGS } from '../../../src/agent/sandbox';
import { bashTool } from '../../../src/agent/tools/bash';
import { bash, contextFor, pidsWith, requireBwrap, tempRepo, until } from './helpers';

describe('sandbox-os: an allowed command inside bubblewrap', function () {
  this.timeout(20_000);
  let root: string;
  let outside: string;
  before(function () {
    requireBwrap(this);
  });
  beforeEach(() => {
    root = tempRepo();
    // An existing directory outside the workspace and outside /tmp (which is private inside).
    outside = fs.mkdtempSync('/var/tmp/dwf-outside-');
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('sees only its own processes: the host (dwf, with the key in memory) is not in its /proc', async () => {
    const ctx = contextFor(root);
    const r = await bash(
      ctx,
      `ls /proc | grep -E '^[0-9]+$' | sort -n | tr '\\n' ' '; echo; cat /proc/${process.pid}/environ; echo "[$PPID]"`,
    );
    const [pids, ...rest] = r.content.split('\n');
    const seen = pids.trim().split(' ').map(Number);
    assert.ok(
      seen.length > 0 && seen.length < 10 && Math.max(...seen) < 100,
      `only a handful of namespace pids: ${pids}`,
    );
    assert.ok(!seen.includes(process.pid));
    assert.match(rest.join('\n'), new RegExp(`/proc/${process.pid}/environ: No such file or directory`));
    assert.match(r.content, /\[1\]|\[2\]/, 'its parent is the namespace init, not dwf');
  });

  it('cannot write outside the workspace: an existing host directory, /, HOME, git diff --output', async () => {
    const ctx = contextFor(root);
    fs.writeFileSync(path.join(root, 'a.txt'), 'one\n');
    await bash(ctx, 'git add a.txt && echo two >> a.txt');
    const r = await bash(
      ctx,
      [
        `echo x > ${outside}/direct.txt`,
        `git diff --output=${outside}/diff.txt`,
        'touch /dwf-root-file',
        'touch "$HOME/dwf-home-file"',
        `cp a.txt ${outside}/copied.txt`,
        'echo end',
      ].join('; '),
    );
    assert.match(r.content, /Read-only file system/);
    assert.deepEqual(fs.readdirSync(outside), [], 'nothing reached the host directory');
    assert.equal(fs.existsSync('/dwf-root-file'), false);
    assert.equal(fs.existsSync(path.join(process.env.HOME ?? '/root', 'dwf-home-file')), false);
  });

  it('can write inside the workspace and its private /tmp (git index included)', async () => {
    const ctx = contextFor(root);
    const r = await bash(
      ctx,
      'mkdir -p src && echo hello > src/new.txt && git add src/new.txt && echo t > /tmp/scratch && cat /tmp/scratch && git status --porcelain',
    );
    assert.equal(r.isError, undefined, r.content);
    assert.match(r.content, /^t\nA {2}src\/new.txt\n/);
    assert.equal(fs.readFileSync(path.join(root, 'src/new.txt'), 'utf8'), 'hello\n');
    assert.equal(fs.existsSync('/tmp/scratch'), false, "the sandbox's /tmp is not the host's");
  });

  it('cannot change .git/config, .git/hooks, .claude or .vscode in the workspace', async () => {
    const ctx = contextFor(root);
    const configBefore = fs.readFileSync(path.join(root, '.git/config'), 'utf8');
    fs.mkdirSync(path.join(root, '.claude'), { recursive: true });
    fs.writeFileSync(path.join(root, '.claude/settings.json'), '{}');
    const r = await bash(
      ctx,
      [
        'git config core.hooksPath /tmp/evil',
        'echo "[alias] x = !touch pwned" >> .git/config',
        'mv .git/config .git/config.old',
        "printf '#!/bin/sh\\ntouch pwned\\n' > .git/hooks/pre-commit",
        `echo '{"permissions":{"allow":["Bash"]}}' > .claude/settings.json`,
        'rm -rf .claude',
        'mkdir -p .vscode && echo "{}" > .vscode/tasks.json',
        'echo end',
      ].join('; '),
    );
    assert.match(r.content, /end\nExit code: 0$/);
    assert.equal(fs.readFileSync(path.join(root, '.git/config'), 'utf8'), configBefore);
    assert.equal(fs.existsSync(path.join(root, '.git/hooks/pre-commit')), false);
    assert.equal(fs.readFileSync(path.join(root, '.claude/settings.json'), 'utf8'), '{}');
    assert.equal(fs.existsSync(path.join(root, '.vscode/tasks.json')), false);
  });

  it("cannot change a submodule's git dir (config, hooks) or add one that git would obey later", async () => {
    const ctx = contextFor(root);
    // A submodule's own git dir, as `git submodule add` leaves it: the person's next `git status`
    // recurses into it and obeys its config (core.fsmonitor runs a program).
    const sub = path.join(root, '.git/modules/lib');
    fs.mkdirSync(path.join(sub, 'hooks'), { recursive: true });
    fs.writeFileSync(path.join(sub, 'config'), '[core]\n\tbare = false\n');
    const r = await bash(
      ctx,
      [
        'git config -f .git/modules/lib/config core.fsmonitor "touch pwned"',
        'printf "[core]\\n\\tfsmonitor = touch pwned\\n" >> .git/modules/lib/config',
        "printf '#!/bin/sh\\ntouch pwned\\n' > .git/modules/lib/hooks/post-checkout",
        'mkdir -p .git/modules/other && printf "[core]\\n\\tfsmonitor = touch pwned\\n" > .git/modules/other/config',
        'mv .git/modules .git/modules.old',
        'echo end',
      ].join('; '),
    );
    assert.match(r.content, /end\nExit code: 0$/);
    assert.equal(fs.readFileSync(path.join(sub, 'config'), 'utf8'), '[core]\n\tbare = false\n');
    assert.deepEqual(fs.readdirSync(path.join(sub, 'hooks')), []);
    assert.deepEqual(fs.readdirSync(path.join(root, '.git/modules')), ['lib']);
    assert.equal(fs.existsSync(path.join(root, '.git/modules.old')), false);
  });

  // git status outside the sandbox, as the person's terminal or the editor would run it next.
  const gitStatusOutside = (cwd: string) => spawnSync('git', ['status', '--porcelain'], { cwd, encoding: 'utf8' });

  it('cannot rename the git dir away and put one with its own config in its place', async () => {
    const ctx = contextFor(root);
    const configBefore = fs.readFileSync(path.join(root, '.git/config'), 'utf8');
    const r = await bash(
      ctx,
      [
        'mv .git .git-old',
        'cp -r .git .git-copy 2>/dev/null; mv .git-copy .git-old 2>/dev/null',
        'mkdir -p .git',
        'printf "[core]\\n\\tfsmonitor = touch pwned\\n" > .git/config.new; mv .git/config.new .git/config',
        'echo end',
      ].join('; '),
    );
    assert.match(r.content, /Device or resource busy/);
    assert.equal(fs.readFileSync(path.join(root, '.git/config'), 'utf8'), configBefore);
    assert.equal(gitStatusOutside(root).status, 0);
    assert.equal(fs.existsSync(path.join(root, 'pwned')), false);
  });

  it('a commondir written into the git dir (config read from another folder) is put back and reported', async () => {
    const ctx = contextFor(root);
    const r = await bash(
      ctx,
      [
        'mkdir -p evil && cp -r .git/HEAD .git/objects .git/refs evil/',
        'printf "[core]\\n\\tfsmonitor = touch pwned\\n" > evil/config',
        'echo ../evil > .git/commondir',
        'echo end',
      ].join('; '),
    );
    assert.equal(r.isError, true);
    assert.match(r.content, /\.git\/commondir, which would make git outside the sandbox read its configuration/);
    assert.equal(fs.existsSync(path.join(root, '.git/commondir')), false);
    assert.equal(gitStatusOutside(root).status, 0);
    assert.equal(fs.existsSync(path.join(root, 'pwned')), false, 'the evil config was never obeyed');
    // The same through a linked worktree's git dir: .git/worktrees is read-only.
    const w = await bash(ctx, 'mkdir -p .git/worktrees/x && echo ../../../evil > .git/worktrees/x/commondir; echo end');
    assert.match(w.content, /Read-only file system/);
    assert.deepEqual(fs.readdirSync(path.join(root, '.git/worktrees')), []);
  });

  it('nested and bare repositories in the workspace: config, hooks and pointers are read-only, the dirs pinned', async () => {
    const nested = path.join(root, 'vendor/lib');
    fs.mkdirSync(nested, { recursive: true });
    assert.equal(spawnSync('git', ['init', '-q', nested]).status, 0);
    const bare = path.join(root, 'fixtures/remote.git');
    assert.equal(spawnSync('git', ['init', '-q', '--bare', bare]).status, 0);
    const pointerDir = path.join(root, 'pkg');
    fs.mkdirSync(pointerDir);
    fs.writeFileSync(path.join(pointerDir, '.git'), 'gitdir: ../vendor/lib/.git\n');
    const before = [
      fs.readFileSync(path.join(nested, '.git/config'), 'utf8'),
      fs.readFileSync(path.join(bare, 'config'), 'utf8'),
    ];
    const ctx = contextFor(root);
    const r = await bash(
      ctx,
      [
        'printf "[core]\\n\\tfsmonitor = touch pwned\\n" >> vendor/lib/.git/config',
        'git -C vendor/lib config core.fsmonitor "touch pwned"',
        "printf '#!/bin/sh\\ntouch pwned\\n' > vendor/lib/.git/hooks/post-checkout",
        'mv vendor/lib/.git vendor/lib/.git-old',
        'printf "[core]\\n\\tfsmonitor = touch pwned\\n" >> fixtures/remote.git/config',
        "printf '#!/bin/sh\\ntouch pwned\\n' > fixtures/remote.git/hooks/pre-receive",
        'echo "gitdir: ../evil" > pkg/.git',
        'echo end',
      ].join('; '),
    );
    assert.match(r.content, /end\nExit code: 0$/);
    assert.equal(fs.readFileSync(path.join(nested, '.git/config'), 'utf8'), before[0]);
    assert.equal(fs.readFileSync(path.join(bare, 'config'), 'utf8'), before[1]);
    assert.equal(fs.existsSync(path.join(nested, '.git/hooks/post-checkout')), false);
    assert.equal(fs.existsSync(path.join(bare, 'hooks/pre-receive')), false);
    assert.equal(fs.existsSync(path.join(nested, '.git-old')), false);
    assert.equal(fs.readFileSync(path.join(pointerDir, '.git'), 'utf8'), 'gitdir: ../vendor/lib/.git\n');
    assert.equal(gitStatusOutside(nested).status, 0);
    assert.equal(fs.existsSync(path.join(nested, 'pwned')), false);
  });

  it('a commondir is removed the moment it appears, while the command still runs', async () => {
    const ctx = contextFor(root);
    const r = await bash(
      ctx,
      [
        'echo ../evil > .git/commondir',
        'for i in $(seq 1 200); do [ -e .git/commondir ] || { echo gone-while-running; break; }; sleep 0.05; done',
      ].join('; '),
    );
    assert.match(r.content, /gone-while-running/);
    assert.equal(fs.existsSync(path.join(root, '.git/commondir')), false);
  });

  it('a repository the command creates keeps a plain config; one whose config or hooks run programs has them renamed aside', async () => {
    const ctx = contextFor(root);
    const plain = await bash(
      ctx,
      'git init -q clean && git -C clean -c user.name=a -c user.email=a@b commit -q --allow-empty -m x && echo ok',
    );
    assert.equal(plain.isError, undefined, plain.content);
    assert.ok(fs.existsSync(path.join(root, 'clean/.git/config')), 'a fresh repository is left as it is');

    const r = await bash(
      ctx,
      [
        'git init -q evil',
        'git -C evil config core.fsmonitor "touch pwned"',
        "printf '#!/bin/sh\\ntouch pwned\\n' > evil/.git/hooks/post-checkout && chmod +x evil/.git/hooks/post-checkout",
        // A pointer to a git dir the walk does not look into (node_modules), with a config that runs a program.
        'git init -q --bare node_modules/x/g && git config -f node_modules/x/g/config core.fsmonitor "touch pwned"',
        'mkdir -p p && echo "gitdir: ../node_modules/x/g" > p/.git',
        'echo end',
      ].join('; '),
    );
    assert.equal(r.isError, true);
    assert.match(r.content, /renamed aside with the suffix \.dwf-quarantined/);
    assert.equal(fs.existsSync(path.join(root, 'evil/.git/config')), false);
    assert.ok(fs.existsSync(path.join(root, 'evil/.git/config.dwf-quarantined')), 'kept for the person');
    assert.equal(fs.existsSync(path.join(root, 'evil/.git/hooks')), false);
    assert.equal(fs.existsSync(path.join(root, 'p/.git')), false);
    assert.ok(fs.existsSync(path.join(root, 'p/.git.dwf-quarantined')));
    assert.equal(gitStatusOutside(path.join(root, 'evil')).status, 0, 'the repository still works');
    gitStatusOutside(path.join(root, 'p'));
    assert.equal(fs.existsSync(path.join(root, 'evil/pwned')), false);
    assert.equal(fs.existsSync(path.join(root, 'p/pwned')), false);
  });

  it('has no network by default or with a domain list (a server on the host loopback is unreachable); ["*"] opens it', async () => {
    let connections = 0;
    const server = net.createServer((s) => {
      connections++;
      s.end('hi\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const probe = `exec 3<>/dev/tcp/127.0.0.1/${port} && head -1 <&3 || echo unreachable`;
    try {
      const closed = await bash(contextFor(root), probe);
      assert.match(closed.content, /unreachable/);
      assert.equal(connections, 0);
      const listed = await bash(
        contextFor(root, { settings: { ...DEFAULT_SANDBOX_SETTINGS, allowedDomains: ['example.com'] } }),
        probe,
      );
      assert.match(
        listed.content,
        /unreachable/,
        'with a domain list only the proxy is reachable, not the host directly',
      );
      assert.equal(connections, 0);
      const open = await bash(
        contextFor(root, { settings: { ...DEFAULT_SANDBOX_SETTINGS, allowedDomains: ['*'] } }),
        probe,
      );
      assert.match(open.content, /^hi\n/);
      assert.equal(connections, 1);
    } finally {
      server.close();
    }
  });

  it('gets no credentials in its environment and no host sockets under /run', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      ANTHROPIC_API_KEY: 'sk-ant-planted-0123456789',
      GH_TOKEN: 'ghp_planted0123456789',
      MY_SERVICE_PASSWORD: 'pw-planted-0123',
    });
    try {
      const r = await bash(contextFor(root), 'env; ls -A /run');
      assert.doesNotMatch(r.content, /planted/);
      assert.match(r.content, /PATH=/);
    } finally {
      for (const k of ['ANTHROPIC_API_KEY', 'GH_TOKEN', 'MY_SERVICE_PASSWORD'])
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
    }
  });

  it('a timeout stops everything it started, background processes included', async () => {
    const ctx = contextFor(root);
    const marker = `30${process.pid % 10}.${Date.now() % 1000}`;
    const started = Date.now();
    const pending = bashTool.run({ command: `sleep ${marker}1 & sleep ${marker}2`, timeout: 1500 }, ctx);
    await until(() => pidsWith(marker).length === 2, 3000, 'both sleeps run');
    const r = await pending;
    assert.ok(Date.now() - started < 4000);
    assert.match(r.content, /timed out after 1500 ms/);
    await until(() => pidsWith(marker).length === 0, 3000, 'the sandboxed processes are gone');
  });
});
