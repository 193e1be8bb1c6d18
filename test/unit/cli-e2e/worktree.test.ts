// `isolation: 'worktree'` end to end: the shipped `dwf` in a temp git repository, --worktree-base,
// the --json `worktrees` list, the journal, and a resume that replays worktree agents.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { byPrompt, byTurn, echo, FakeAnthropicServer } from '../../fakes/fakeAnthropic';
import { git } from '../../fakes/gitRepo';
import { describeExit, ensureBuilt, runDwf, summaryOf, tempRepo, type Repo } from './harness';

const SCRIPT = `export const meta = { name: 'wt', description: 'parallel implementers in worktrees' }
const edits = await parallel(['A', 'B'].map((w) => () => agent('edit ' + w, { label: 'edit ' + w, isolation: 'worktree' })))
const look = await agent('look', { isolation: 'worktree' })
if (!args) throw new Error('stop after the agents')
return { edits, look }
`;

const editTo = (text: string) =>
  byTurn(
    { toolUses: [{ name: 'Edit', input: { file_path: 'a.txt', old_string: 'base', new_string: text } }] },
    { text: `edited to ${text}` },
  );

describe("cli e2e: agent({isolation: 'worktree'})", function () {
  this.timeout(60_000);
  let server: FakeAnthropicServer;
  let repo: Repo;

  before(() => ensureBuilt());
  beforeEach(async () => {
    server = await FakeAnthropicServer.start({ apiKey: 'test' });
    server.respond(
      byPrompt(
        [
          ['edit A', editTo('from A')],
          ['edit B', editTo('from B')],
        ],
        echo,
      ),
    );
    repo = tempRepo();
  });
  afterEach(async () => {
    await server.close();
    repo.cleanup();
  });

  it('--worktree-base: each agent works in its own worktree of that ref; --json lists them; resume replays them without re-running', async () => {
    repo.write('a.txt', 'main\n');
    git(repo.root, 'add', 'a.txt');
    git(repo.root, 'commit', '-q', '-m', 'main');
    git(repo.root, 'checkout', '-q', '-b', 'release');
    repo.write('a.txt', 'base\n');
    git(repo.root, 'commit', '-q', '-am', 'release');
    git(repo.root, 'checkout', '-q', '-');
    repo.write('wf.js', SCRIPT);
    const releaseCommit = git(repo.root, 'rev-parse', 'release');

    const first = await runDwf(repo, ['run', 'wf.js', '--json', '--worktree-base', 'release'], { server });
    assert.equal(first.code, 1, describeExit(first));
    const s = summaryOf(first);
    assert.match(s.error?.message ?? '', /stop after the agents/);
    const byLabel = new Map(s.worktrees.map((w) => [w.label, w]));
    assert.deepEqual([...byLabel.keys()].sort(), ['edit A', 'edit B', 'look']);
    for (const label of ['edit A', 'edit B']) {
      const w = byLabel.get(label)!;
      assert.equal(w.kept, true, label);
      assert.equal(w.base, 'release');
      assert.equal(w.commit, releaseCommit);
      assert.match(w.branch, new RegExp(`^dwf/${s.runId}-\\d+$`));
      assert.equal(path.dirname(w.path), path.join(fs.realpathSync(repo.root), '.claude', 'worktrees'));
    }
    assert.equal(fs.readFileSync(path.join(byLabel.get('edit A')!.path, 'a.txt'), 'utf8'), 'from A\n');
    assert.equal(fs.readFileSync(path.join(byLabel.get('edit B')!.path, 'a.txt'), 'utf8'), 'from B\n');
    assert.equal(byLabel.get('look')!.kept, false);
    assert.equal(fs.existsSync(byLabel.get('look')!.path), false);
    assert.equal(repo.read('a.txt'), 'main\n', 'the main tree is untouched');
    assert.equal(git(repo.root, 'status', '--porcelain'), '?? wf.js', 'worktrees do not show as untracked');
    // The log names each worktree; the journal keeps it with the result.
    assert.match(
      first.stderr,
      new RegExp(`\\[edit A\\] worktree kept at ${escape(byLabel.get('edit A')!.path)} \\(branch dwf/`),
    );
    assert.match(first.stderr, /\[look\] worktree removed \(no changes/);
    const journal = fs
      .readFileSync(repo.journal(s.runId), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; worktree?: { branch: string; kept: boolean } });
    assert.deepEqual(
      journal
        .filter((l) => l.type === 'result')
        .map((l) => l.worktree?.kept)
        .sort(),
      [false, true, true],
    );

    const requestsBefore = server.requests.length;
    const branchesBefore = git(repo.root, 'branch', '--list', 'dwf/*');
    const resumed = await runDwf(repo, ['resume', s.runId, '--json', '--args', '1'], { server });
    assert.equal(resumed.code, 0, describeExit(resumed));
    const r = summaryOf(resumed);
    assert.deepEqual(r.result, { edits: ['edited to from A', 'edited to from B'], look: 'echo:look' });
    assert.deepEqual(r.agents, { total: 3, done: 0, cached: 3, failed: 0, skipped: 0 });
    assert.equal(server.requests.length, requestsBefore, 'no worktree agent ran again');
    assert.equal(git(repo.root, 'branch', '--list', 'dwf/*'), branchesBefore, 'no new worktree was made');
    assert.deepEqual(
      r.worktrees.map((w) => [w.label, w.path, w.kept]).sort(),
      s.worktrees.map((w) => [w.label, w.path, w.kept]).sort(),
    );
  });

  it('a base ref that does not exist and a repository without commits fail the agent with what to do', async () => {
    repo.write(
      'wf.js',
      `export const meta = { name: 'wt', description: 'd' }\nreturn await agent('edit A', { isolation: 'worktree' })\n`,
    );
    const empty = await runDwf(repo, ['run', 'wf.js', '--json'], { server });
    assert.equal(empty.code, 1, describeExit(empty));
    assert.match(summaryOf(empty).error?.message ?? '', /has no commits yet.*Commit once, then run again/);
    git(repo.root, 'add', 'wf.js');
    git(repo.root, 'commit', '-q', '-m', 'wf');
    const bad = await runDwf(repo, ['run', 'wf.js', '--json', '--worktree-base', 'nope'], { server });
    assert.equal(bad.code, 1, describeExit(bad));
    assert.match(summaryOf(bad).error?.message ?? '', /base ref 'nope' is not a commit .*--worktree-base/);
    assert.equal(server.requests.length, 0);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
