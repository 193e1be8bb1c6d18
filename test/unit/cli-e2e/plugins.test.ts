// dwf with Claude Code plugins: `<plugin>:<name>` workflows listed and run by name, and
// `agentType: '<plugin>:<agent>'` running with that plugin agent's prompt (issue 8 item 10); and
// agent files that do not parse reported on stderr instead of dropped (item 3).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FakeAnthropicServer, systemText } from '../../fakes/fakeAnthropic';
import { describeExit, ensureBuilt, runDwf, summaryOf, tempRepo, type Repo } from './harness';

describe('cli e2e: plugins and agent files', function () {
  this.timeout(60_000);
  let server: FakeAnthropicServer;
  let repo: Repo;

  before(() => ensureBuilt());
  beforeEach(async () => {
    server = await FakeAnthropicServer.start({ apiKey: 'test' });
    repo = tempRepo();
  });
  afterEach(async () => {
    await server.close();
    repo.cleanup();
  });

  function installPlugin(): string {
    const root = path.join(repo.config, 'plugins', 'cache', 'market', 'audit-kit', '1.0.0');
    const files: Record<string, string> = {
      '.claude-plugin/plugin.json': JSON.stringify({ name: 'audit-kit', version: '1.0.0' }),
      'workflows/audit.js': `export const meta = { name: 'audit', description: 'Audit with the kit agent' }\nreturn await agent('audit the repo', { agentType: 'audit-kit:auditor' })\n`,
      'agents/auditor.md': '---\nname: auditor\ndescription: Audits: carefully\n---\nYou are the audit-kit auditor.\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    fs.writeFileSync(
      path.join(repo.config, 'plugins', 'installed_plugins.json'),
      JSON.stringify({ version: 2, plugins: { 'audit-kit@market': [{ scope: 'user', installPath: root }] } }),
    );
    return root;
  }

  it("an installed plugin's workflow is listed and runs by <plugin>:<name>, its agent type by <plugin>:<agent>", async () => {
    installPlugin();
    const list = await runDwf(repo, ['list', '--json'], { server });
    assert.equal(list.code, 0, describeExit(list));
    const listed = (JSON.parse(list.stdout) as { name: string; origin: string }[]).filter(
      (w) => w.origin !== 'bundled',
    );
    assert.deepEqual(
      listed.map((w) => [w.name, w.origin]),
      [['audit-kit:audit', 'plugin']],
    );

    const exit = await runDwf(repo, ['run', 'audit-kit:audit', '--json'], { server });
    assert.equal(exit.code, 0, describeExit(exit));
    assert.equal(summaryOf(exit).result, 'echo:audit the repo');
    assert.match(systemText(server.requests[0].body), /You are the audit-kit auditor\./);
  });

  it('--plugin-dir loads a plugin that is not installed; a disabled installed plugin is not listed', async () => {
    installPlugin();
    fs.writeFileSync(
      path.join(repo.config, 'settings.json'),
      JSON.stringify({ enabledPlugins: { 'audit-kit@market': false } }),
    );
    const local = path.join(repo.tmp, 'dev-plugin');
    fs.mkdirSync(path.join(local, 'workflows'), { recursive: true });
    fs.writeFileSync(
      path.join(local, 'workflows', 'hello.js'),
      `export const meta = { name: 'hello', description: 'd' }\nreturn await agent('hi')\n`,
    );
    const list = await runDwf(repo, ['list', '--json', '--plugin-dir', local], { server });
    assert.equal(list.code, 0, describeExit(list));
    assert.deepEqual(
      (JSON.parse(list.stdout) as { name: string; origin: string }[])
        .filter((w) => w.origin !== 'bundled')
        .map((w) => w.name),
      ['dev-plugin:hello'],
    );
    const exit = await runDwf(repo, ['run', 'dev-plugin:hello', '--plugin-dir', local, '--json'], { server });
    assert.equal(exit.code, 0, describeExit(exit));
    assert.equal(summaryOf(exit).result, 'echo:hi');
  });

  it('an agent file that does not parse is reported on stderr with its path; lenient frontmatter loads', async () => {
    repo.write('.claude/agents/broken.md', '---\nname: broken\ntools: [Read\n---\nx\n');
    repo.write(
      '.claude/agents/repro.md',
      '---\nname: repro\ndescription: Use this agent for one thing: the repro\n---\nRepro prompt.\n',
    );
    repo.write(
      'wf.js',
      `export const meta = { name: 'w', description: 'd' }\nreturn await agent('go', { agentType: 'repro' })\n`,
    );
    const exit = await runDwf(repo, ['run', 'wf.js', '--json'], { server });
    assert.equal(exit.code, 0, describeExit(exit));
    assert.match(exit.stderr, /warning: .*broken\.md: invalid frontmatter \(YAML\)/);
    assert.match(systemText(server.requests[0].body), /Repro prompt\./);
  });
});
