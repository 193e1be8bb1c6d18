// `dwf list`, `dwf runs`, `dwf save` against real folders.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, lastJson, sandbox, TWO_AGENTS, type Sandbox } from './helpers';

describe('cli: list, runs, save', () => {
  let box: Sandbox;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.cleanup());

  async function finishedRun(): Promise<string> {
    box.write('two.js', TWO_AGENTS);
    const c = cli(box);
    assert.equal(await c.run('run', 'two.js', '--json'), 0, c.stderr.text);
    return String(lastJson(c).runId);
  }

  it('save --project writes <slug>.js under the repo, prints the path, refuses to overwrite without --force', async () => {
    const runId = await finishedRun();
    const c = cli(box);
    assert.equal(await c.run('save', runId, '--project'), 0, c.stderr.text);
    const saved = path.join(box.root, '.claude', 'workflows', 'two.js');
    assert.equal(c.stdout.text, saved + '\n');
    assert.equal(fs.readFileSync(saved, 'utf8'), TWO_AGENTS);

    const again = cli(box);
    assert.equal(await again.run('save', runId, '--project'), 1);
    assert.match(again.stderr.text, /already exists.*--force/);
    const forced = cli(box);
    assert.equal(await forced.run('save', runId, '--project', '--force'), 0, forced.stderr.text);
  });

  it('save --personal --name goes to $CLAUDE_CONFIG_DIR/workflows; list shows both with their origin', async () => {
    const runId = await finishedRun();
    const p = cli(box);
    assert.equal(await p.run('save', runId, '--personal', '--name', 'My Two'), 0, p.stderr.text);
    assert.equal(p.stdout.text.trim(), path.join(box.config, 'workflows', 'my-two.js'));
    // A project workflow with another meta.name, so both are listed.
    box.write(
      '.claude/workflows/review.js',
      "export const meta = { name: 'review', description: 'Find bugs' }\nreturn 1\n",
    );

    const l = cli(box);
    assert.equal(await l.run('list'), 0);
    const rows = l.stdout.lines();
    assert.match(rows[0], /NAME +ORIGIN +DESCRIPTION/);
    assert.ok(
      rows.some((r) => /^review +project +Find bugs/.test(r)),
      l.stdout.text,
    );
    assert.ok(
      rows.some((r) => /^two +personal +two agents and a log/.test(r)),
      l.stdout.text,
    );

    const j = cli(box);
    assert.equal(await j.run('list', '--json'), 0);
    const list = JSON.parse(j.stdout.text) as { name: string; origin: string }[];
    assert.deepEqual(
      list.map((w) => [w.name, w.origin]),
      [
        ['review', 'project'],
        ['two', 'personal'],
      ],
    );
  });

  it('save needs exactly one scope and a valid run id', async () => {
    const runId = await finishedRun();
    const c = cli(box);
    assert.equal(await c.run('save', runId), 2);
    assert.equal(await c.run('save', runId, '--project', '--personal'), 2);
    assert.equal(await c.run('save', 'wf_000000000000', '--project'), 2);
    assert.match(c.stderr.text, /choose one of --project or --personal/);
  });

  it('list says so when nothing is saved', async () => {
    const c = cli(box);
    assert.equal(await c.run('list'), 0);
    assert.match(c.stdout.text, /No saved workflows/);
  });

  it('runs lists recent runs with status, agents, tokens and name, newest first', async () => {
    const c0 = cli(box);
    assert.equal(await c0.run('runs'), 0);
    assert.match(c0.stdout.text, /No runs/);

    const first = await finishedRun();
    box.write('fail.js', "export const meta = { name: 'f', description: 'd' }\nthrow new Error('x')\n");
    const f = cli(box);
    assert.equal(await f.run('run', 'fail.js', '--json'), 1);
    const second = String(lastJson(f).runId);

    const c = cli(box);
    assert.equal(await c.run('runs'), 0);
    const rows = c.stdout.lines();
    assert.match(rows[0], /RUN +STATUS +AGENTS +TOKENS IN\/OUT +WHEN +NAME/);
    assert.equal(rows.length, 3);
    assert.ok(rows[1].startsWith(second) && /failed/.test(rows[1]), rows[1]);
    assert.match(rows[2], new RegExp(`^${first} +completed +2/2 +20/10 +\\d+s ago +two$`));

    const j = cli(box);
    assert.equal(await j.run('runs', '--json', '--limit', '1'), 0);
    assert.deepEqual(
      (JSON.parse(j.stdout.text) as { runId: string }[]).map((r) => r.runId),
      [second],
    );
  });
});
