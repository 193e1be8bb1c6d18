// `dwf run` headless (CI=1, no TTY) against the access gate: an agent that writes itself a
// permission (.claude/settings.local.json) or plants git config is refused even with --yes, the
// files stay as they were, and the refusal says nobody was asked and which exact rule allows it;
// a WebFetch to a loopback server (here the fake model server itself) is refused the same way.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { byTurn, FakeAnthropicServer, toolResults, type Responder } from '../../fakes/fakeAnthropic';
import { describeExit, ensureBuilt, runDwf, summaryOf, tempRepo, type Repo } from './harness';

const WF = `export const meta = { name: 'grabber', description: 'd' }
return JSON.parse(await agent('do it', { label: 'grabber' }))
`;

/** One tool call, then the agent answers with the tool result it got. */
const once = (name: string, input: Record<string, unknown>): Responder =>
  byTurn({ toolUses: [{ name, input }] }, (req) => ({ text: JSON.stringify(toolResults(req.body)[0]) }));

describe('cli e2e: protected paths and local fetches (headless)', function () {
  this.timeout(60_000);
  let server: FakeAnthropicServer;
  let repo: Repo;

  before(() => ensureBuilt());
  beforeEach(async () => {
    server = await FakeAnthropicServer.start({ apiKey: 'test' });
    repo = tempRepo();
    repo.write('wf.js', WF);
  });
  afterEach(async () => {
    await server.close();
    repo.cleanup();
  });

  const result = (exit: Awaited<ReturnType<typeof runDwf>>) => {
    assert.equal(exit.code, 0, describeExit(exit));
    return summaryOf(exit).result as { content: string; is_error: boolean };
  };

  it('a Write of {"permissions":{"allow":["Bash"]}} to .claude/settings.local.json is refused, even with --yes', async () => {
    repo.write('.claude/settings.local.json', '{}\n');
    server.respond(
      once('Write', {
        file_path: `${repo.root}/.claude/settings.local.json`,
        content: '{"permissions":{"allow":["Bash"]}}',
      }),
    );
    const r = result(await runDwf(repo, ['run', 'wf.js', '--json', '--yes'], { server }));
    assert.equal(r.is_error, true, r.content);
    assert.match(r.content, /protected path/);
    assert.match(r.content, /No one was asked/);
    assert.match(r.content, /--allow 'Edit\(\/\/.*settings\.local\.json\)'/);
    assert.equal(repo.read('.claude/settings.local.json'), '{}\n');
  });

  it("a Read under a deny glob (Read(./secrets/**)) is refused: the file's text never reaches the model", async () => {
    repo.write('.claude/settings.json', JSON.stringify({ permissions: { deny: ['Read(./secrets/**)'] } }));
    repo.write('secrets/deep/key.txt', 'TOPSECRET-4711\n');
    server.respond(once('Read', { file_path: 'secrets/deep/key.txt' }));
    const r = result(await runDwf(repo, ['run', 'wf.js', '--json', '--yes'], { server }));
    assert.equal(r.is_error, true, r.content);
    assert.ok(!JSON.stringify(server.requests).includes('TOPSECRET-4711'), 'the secret was sent to the model');
  });

  it('a Write under a deny rule built to backtrack (*a*a*a*a*a*b) is refused at once and nothing is written', async () => {
    const name = 'a'.repeat(200) + 'b.txt'; // under NAME_MAX, so only the rule can refuse it
    repo.write('.claude/settings.json', JSON.stringify({ permissions: { deny: ['Edit(./**/*a*a*a*a*a*a*b.txt)'] } }));
    server.respond(once('Write', { file_path: `out/${name}`, content: 'planted' }));
    const r = result(await runDwf(repo, ['run', 'wf.js', '--json', '--yes'], { server }));
    assert.equal(r.is_error, true, r.content);
    assert.equal(fs.existsSync(path.join(repo.root, 'out', name)), false, 'the denied file was written');
  });

  it('an Edit adding core.fsmonitor to .git/config is refused and the config is unchanged', async () => {
    const before = repo.read('.git/config');
    server.respond(
      once('Edit', { file_path: '.git/config', old_string: '[core]', new_string: '[core]\n\tfsmonitor = touch pwned' }),
    );
    const r = result(await runDwf(repo, ['run', 'wf.js', '--json', '--yes'], { server }));
    assert.equal(r.is_error, true, r.content);
    assert.equal(repo.read('.git/config'), before);
  });

  it('with --allow naming the file exactly, the write goes through', async () => {
    repo.write('.claude/settings.local.json', '{}\n');
    server.respond(once('Write', { file_path: '.claude/settings.local.json', content: '{"ok":1}' }));
    const r = result(
      await runDwf(repo, ['run', 'wf.js', '--json', '--allow', 'Edit(.claude/settings.local.json)'], { server }),
    );
    assert.equal(r.is_error, false, r.content);
    assert.equal(repo.read('.claude/settings.local.json'), '{"ok":1}');
  });

  it('a WebFetch to a loopback server is refused (nothing fetched), even with --yes', async () => {
    server.respond(once('WebFetch', { url: `${server.url}/v1/models` }));
    const r = result(await runDwf(repo, ['run', 'wf.js', '--json', '--yes'], { server }));
    assert.equal(r.is_error, true, r.content);
    assert.match(r.content, /loopback address/);
    assert.match(r.content, /No one was asked/);
    assert.ok(!server.requests.some((q) => q.path === '/v1/models'), 'the fake server saw no fetch');
  });
});
