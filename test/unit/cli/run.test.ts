// `dwf run`: by file and by saved name, args, the --json summary, exit codes, errors before running.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, lastJson, runDirs, sandbox, TWO_AGENTS, type Sandbox } from './helpers';

describe('cli: dwf run', () => {
  let box: Sandbox;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.cleanup());

  it('runs a file relative to cwd, prints the result on stdout and exits 0', async () => {
    box.write('scripts/two.js', TWO_AGENTS);
    const c = cli(box, { cwd: path.join(box.root, 'scripts') });
    const code = await c.run('run', 'two.js');
    assert.equal(code, 0, c.stderr.text);
    assert.deepEqual(JSON.parse(c.stdout.text), ['echo:item 1', 'echo:item 2']);
    assert.deepEqual(c.runner.calls.map((r) => r.label).sort(), ['item-1', 'item-2']);
    // The workspace root is the folder with .git, not cwd.
    assert.equal(runDirs(box).length, 1);
    assert.equal(c.contexts[0].workspaceRoot, box.root);
  });

  it('runs a saved workflow by name (project folder) when no such file exists', async () => {
    box.write(
      '.claude/workflows/hello.js',
      "export const meta = { name: 'hello', description: 'd' }\nreturn await agent('hi')\n",
    );
    const c = cli(box);
    assert.equal(await c.run('run', 'hello'), 0, c.stderr.text);
    assert.equal(c.stdout.text, 'echo:hi\n');
  });

  it('runs a personal saved workflow from $CLAUDE_CONFIG_DIR/workflows', async () => {
    fs.mkdirSync(path.join(box.config, 'workflows'), { recursive: true });
    fs.writeFileSync(
      path.join(box.config, 'workflows', 'mine.js'),
      "export const meta = { name: 'mine', description: 'd' }\nreturn 'personal'\n",
    );
    const c = cli(box);
    assert.equal(await c.run('run', 'mine'), 0, c.stderr.text);
    assert.equal(c.stdout.text, 'personal\n');
  });

  it('an unknown name is rejected with the saved names, exit 2', async () => {
    box.write('.claude/workflows/hello.js', "export const meta = { name: 'hello', description: 'd' }\nreturn 1\n");
    const c = cli(box);
    assert.equal(await c.run('run', 'nope'), 2);
    assert.match(c.stderr.text, /no saved workflow named "nope".*hello/);
    assert.equal(await c.run('run', './missing.js'), 2);
    assert.match(c.stderr.text, /No such file: .*missing\.js/);
  });

  it('--args: valid JSON is passed as a value, anything else as the raw string', async () => {
    box.write('args.js', "export const meta = { name: 'a', description: 'd' }\nreturn { type: typeof args, args }\n");
    const c = cli(box);
    assert.equal(await c.run('run', 'args.js', '--args', '{"files":["a.ts"],"n":2}'), 0, c.stderr.text);
    assert.deepEqual(JSON.parse(c.stdout.text), { type: 'object', args: { files: ['a.ts'], n: 2 } });
    const d = cli(box);
    assert.equal(await d.run('run', 'args.js', '--args', 'src/a.ts'), 0, d.stderr.text);
    assert.deepEqual(JSON.parse(d.stdout.text), { type: 'string', args: 'src/a.ts' });
  });

  it('--json: progress on stderr, the last stdout line is the summary object', async () => {
    box.write('two.js', TWO_AGENTS);
    const c = cli(box);
    assert.equal(await c.run('run', 'two.js', '--json'), 0, c.stderr.text);
    assert.equal(c.stdout.lines().length, 1, 'stdout holds only the summary');
    const s = lastJson(c);
    assert.deepEqual(Object.keys(s).sort(), [
      'agents',
      'costUsd',
      'durationMs',
      'result',
      'runId',
      'status',
      'tokens',
      'worktrees',
    ]);
    assert.match(String(s.runId), /^wf_/);
    assert.equal(s.status, 'completed');
    assert.deepEqual(s.result, ['echo:item 1', 'echo:item 2']);
    assert.deepEqual(s.agents, { total: 2, done: 2, cached: 0, failed: 0, skipped: 0 });
    assert.deepEqual(s.tokens, { input: 20, output: 10, cacheRead: 0, cacheWrite: 0 });
    assert.equal(s.costUsd, null, 'the fake runner reports no cost');
    assert.equal(typeof s.durationMs, 'number');
    assert.match(c.stderr.text, /done +item-1/);
  });

  it('reports the runner’s cost when it has one', async () => {
    box.write('two.js', TWO_AGENTS);
    const c = cli(box);
    Object.assign(c.runner, { costUsd: () => 0.0125 });
    assert.equal(await c.run('run', 'two.js', '--json'), 0);
    assert.equal(lastJson(c).costUsd, 0.0125);
  });

  it('a failing script exits 1 with the error in the summary and the resume command', async () => {
    box.write(
      'fail.js',
      "export const meta = { name: 'f', description: 'd' }\nawait agent('x')\nthrow new Error('boom')\n",
    );
    const c = cli(box);
    assert.equal(await c.run('run', 'fail.js', '--json'), 1);
    const s = lastJson(c);
    assert.equal(s.status, 'failed');
    assert.equal(s.result, null);
    assert.match((s.error as { message: string }).message, /boom/);
    assert.match(c.stderr.text, new RegExp(`dwf resume ${String(s.runId)}`));
  });

  it('a script error prints file:line:col, the message and the code frame; exit 2, nothing runs', async () => {
    box.write('bad.js', "export const meta = { name: 'b', description: 'd' }\nconst x: number = 1\nreturn x\n");
    const c = cli(box);
    assert.equal(await c.run('run', 'bad.js'), 2);
    const [first, ...frame] = c.stderr.lines();
    assert.match(first, /^bad\.js:2:\d+: /);
    assert.ok(
      frame.some((l) => l.includes('const x: number = 1')),
      c.stderr.text,
    );
    assert.ok(
      frame.some((l) => /\^/.test(l)),
      'a caret under the column',
    );
    assert.equal(c.contexts.length, 0, 'no runner was created');
    assert.deepEqual(runDirs(box), []);
  });

  it('a missing ANTHROPIC_API_KEY is a clear error before any agent starts (exit 2)', async () => {
    box.write('two.js', TWO_AGENTS);
    const c = cli(box, { env: { ANTHROPIC_API_KEY: undefined } });
    assert.equal(await c.run('run', 'two.js'), 2);
    assert.match(c.stderr.text, /ANTHROPIC_API_KEY is not set/);
    assert.equal(c.runner.calls.length, 0);
    assert.deepEqual(runDirs(box), []);
  });

  it('hands the runner factory the key, endpoint and flags', async () => {
    box.write('two.js', TWO_AGENTS);
    const c = cli(box, { env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/' } });
    const code = await c.run(
      'run',
      'two.js',
      '--model',
      'haiku',
      '--allow',
      'Bash(npm test:*)',
      '--allow',
      'Bash(git status)',
      '--yes',
      '--concurrency',
      '3',
    );
    assert.equal(code, 0, c.stderr.text);
    const ctx = c.contexts[0];
    assert.equal(ctx.apiKey, 'test-key');
    assert.equal(ctx.baseURL, 'http://127.0.0.1:9/');
    assert.equal(ctx.model, 'haiku');
    assert.deepEqual(ctx.allow, ['Bash(npm test:*)', 'Bash(git status)']);
    assert.equal(ctx.yes, true);
    assert.equal(ctx.concurrency, 3);
    assert.equal(ctx.interactive, false);
    assert.equal(ctx.runsDir, path.join(box.root, '.claude', 'workflow-runs'));
    assert.deepEqual(
      ctx.personal,
      { configDir: box.config, home: box.tmp },
      'the personal folder rule of core/registry',
    );
  });

  it('--budget sets budget.total and --concurrency bounds agents in flight', async () => {
    box.write(
      'b.js',
      "export const meta = { name: 'b', description: 'd' }\nawait parallel([1,2,3,4,5,6].map(i => () => agent('x' + i)))\nreturn budget.total\n",
    );
    const c = cli(box, { defaultDelayMs: 5 });
    assert.equal(await c.run('run', 'b.js', '--budget', '5000', '--concurrency', '2'), 0, c.stderr.text);
    assert.equal(c.stdout.text, '5000\n');
    assert.ok(c.runner.maxInFlight <= 2);
  });

  it('a runner factory that cannot start is rejected before running (exit 2)', async () => {
    box.write('two.js', TWO_AGENTS);
    const c = cli(box);
    c.io.createRunner = () => {
      throw new Error('the Anthropic agent layer is not built yet');
    };
    assert.equal(await c.run('run', 'two.js'), 2);
    assert.match(c.stderr.text, /not built yet/);
  });

  it('workflow() finds saved workflows through the registry', async () => {
    box.write(
      '.claude/workflows/child.js',
      "export const meta = { name: 'child', description: 'd' }\nreturn 'child:' + await agent('c')\n",
    );
    box.write(
      'parent.js',
      "export const meta = { name: 'parent', description: 'd' }\nreturn await workflow('child')\n",
    );
    const c = cli(box);
    assert.equal(await c.run('run', 'parent.js'), 0, c.stderr.text);
    assert.equal(c.stdout.text, 'child:echo:c\n');
  });
});
