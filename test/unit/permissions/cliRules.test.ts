// The permission rules through the shipped `dwf` binary: broken rules stop the run before any
// agent starts (exit 2, every problem on stderr naming its file or flag), and headless --yes does
// not run a command the checker cannot see through while deny rules are in force.
import assert from 'node:assert/strict';
import { byTurn, FakeAnthropicServer, toolResults } from '../../fakes/fakeAnthropic';
import { describeExit, ensureBuilt, runDwf, summaryOf, tempRepo, type Repo } from '../cli-e2e/harness';

const WF = `export const meta = { name: 'runner', description: 'd' }
return JSON.parse(await agent('run the command', { label: 'runner' }))
`;

describe('cli e2e: permission rules (spawned dwf)', function () {
  this.timeout(60_000);
  let server: FakeAnthropicServer;
  let repo: Repo;
  before(() => ensureBuilt());
  beforeEach(async () => {
    server = await FakeAnthropicServer.start({ apiKey: 'test' });
    repo = tempRepo();
    repo.write('wf.js', WF);
    repo.write('notes.txt', 'keep me\n');
  });
  afterEach(async () => {
    await server.close();
    repo.cleanup();
  });

  const bash = (command: string) =>
    byTurn({ toolUses: [{ name: 'Bash', input: { command } }] }, (req) => ({
      text: JSON.stringify(toolResults(req.body)[0]),
    }));

  it("--allow 'Bash(' is an error naming the flag: exit 2, nothing sent", async () => {
    const exit = await runDwf(repo, ['run', 'wf.js', '--json', '--allow', 'Bash('], { server });
    assert.equal(exit.code, 2, describeExit(exit));
    assert.match(exit.stderr, /--allow allow\[0\]: "Bash\(": missing "\)"/);
    assert.equal(server.requests.length, 0);
  });

  it('a deny rule missing its ")" stops the run before it starts; the problem names the file', async () => {
    server.respond(bash('rm notes.txt'));
    repo.write('.claude/settings.json', JSON.stringify({ permissions: { deny: ['Bash(rm:*'] } }));
    const exit = await runDwf(repo, ['run', 'wf.js', '--json', '--yes'], { server });
    assert.equal(exit.code, 2, describeExit(exit));
    // With the line and column of the rule in the file.
    assert.match(exit.stderr, /\.claude\/settings\.json:1:25: permissions\.deny\[0\]: "Bash\(rm:\*": missing "\)"/);
    assert.equal(server.requests.length, 0);
    assert.equal(repo.read('notes.txt'), 'keep me\n');
  });

  it('a broken allow rule in a settings file is reported on stderr and the run goes on', async () => {
    server.respond(bash('true'));
    repo.write('.claude/settings.json', JSON.stringify({ permissions: { allow: ['Bash(true'] } }));
    const exit = await runDwf(repo, ['run', 'wf.js', '--json', '--allow', 'Bash(true)'], { server });
    assert.equal(exit.code, 0, describeExit(exit));
    assert.match(exit.stderr, /warning: .*settings\.json:1:26: permissions\.allow\[0\]: .*ignored/);
  });

  it('--yes does not run code hidden in an arithmetic expression while a deny rule exists, and says nobody was asked', async () => {
    server.respond(bash(`d='$'; x="a[\${d}(rm notes.txt)]"; (( x ))`));
    repo.write('.claude/settings.json', JSON.stringify({ permissions: { deny: ['Bash(rm:*)'] } }));
    const exit = await runDwf(repo, ['run', 'wf.js', '--json', '--yes'], { server });
    assert.equal(exit.code, 0, describeExit(exit));
    const r = summaryOf(exit).result as { content: string; is_error: boolean };
    assert.equal(r.is_error, true, r.content);
    assert.match(r.content, /Nobody was asked/);
    assert.equal(repo.read('notes.txt'), 'keep me\n', 'the file survived');
  });
});
