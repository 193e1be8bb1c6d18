// Claude Code plugins that ship workflows and agents (spec §6.2; issue 8 item 10).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discoverPlugins, discoverWorkflows, type RegistryOptions } from '../../../src/core/registry';
import { loadAgentDefinitions } from '../../../src/agent/agentTypes';

const script = (name: string) =>
  `export const meta = { name: '${name}', description: '${name} description' }\nreturn 1\n`;
const agentFile = (name: string, body: string) => `---\nname: ${name}\ndescription: ${name} agent\n---\n${body}\n`;

function write(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

describe('registry/plugins', () => {
  let tmp: string;
  let config: string;
  let repo: string;
  let opts: RegistryOptions;

  /** A plugin folder with a manifest; returns its root. */
  function plugin(dir: string, manifest: Record<string, unknown> | undefined, files: Record<string, string>): string {
    const root = path.join(tmp, dir);
    if (manifest) write(path.join(root, '.claude-plugin', 'plugin.json'), JSON.stringify(manifest));
    for (const [rel, text] of Object.entries(files)) write(path.join(root, rel), text);
    return root;
  }
  function installed(plugins: Record<string, unknown>): void {
    write(path.join(config, 'plugins', 'installed_plugins.json'), JSON.stringify({ version: 2, plugins }));
  }

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-plugins-')));
    config = path.join(tmp, 'config');
    repo = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    opts = { cwd: repo, repoRoot: repo, personalDir: path.join(config, 'workflows'), configDir: config };
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("lists an installed plugin's workflows as <plugin>:<name>, between bundled and personal", async () => {
    const root = plugin(
      'cache/market/review-kit/1.0.0',
      { name: 'review-kit' },
      { 'workflows/deep.js': script('deep'), 'workflows/mine.js': script('mine') },
    );
    installed({ 'review-kit@market': [{ scope: 'user', installPath: root, version: '1.0.0' }] });
    write(path.join(config, 'workflows', 'mine.js'), script('mine'));
    const { workflows, warnings } = await discoverWorkflows(opts);
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      workflows.map((w) => [w.name, w.origin, w.plugin]),
      [
        ['mine', 'personal', undefined],
        ['review-kit:deep', 'plugin', 'review-kit'],
        ['review-kit:mine', 'plugin', 'review-kit'],
      ],
    );
  });

  it("the manifest's workflows field names folders or single scripts; paths outside the plugin are refused", async () => {
    const root = plugin(
      'p',
      { name: 'kit', workflows: ['flows', 'extra/one.js', '../escape'] },
      {
        'flows/a.js': script('a'),
        'extra/one.js': script('one'),
        'extra/two.js': script('two'),
        'workflows/ignored.js': script('ignored'),
      },
    );
    write(path.join(tmp, 'escape', 'x.js'), script('x'));
    const { workflows, warnings } = await discoverWorkflows({ ...opts, pluginDirs: [root] });
    assert.deepEqual(
      workflows.map((w) => w.name),
      ['kit:a', 'kit:one'],
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /"\.\.\/escape" lies outside the plugin folder/);
  });

  it('enabledPlugins false in user, project or local settings turns a plugin off; the latest settings win', () => {
    const a = plugin('a', { name: 'a' }, { 'workflows/x.js': script('x') });
    const b = plugin('b', { name: 'b' }, { 'workflows/x.js': script('x') });
    installed({ 'a@m': [{ scope: 'user', installPath: a }], 'b@m': [{ scope: 'user', installPath: b }] });
    write(path.join(config, 'settings.json'), JSON.stringify({ enabledPlugins: { 'a@m': false, 'b@m': false } }));
    write(path.join(repo, '.claude', 'settings.local.json'), JSON.stringify({ enabledPlugins: { 'b@m': true } }));
    assert.deepEqual(
      discoverPlugins({ configDir: config, projectRoot: repo }).plugins.map((p) => p.name),
      ['b'],
    );
  });

  it('a project-scope install applies only in its own project; version 1 registries are read too', () => {
    const p = plugin('p', undefined, { 'workflows/x.js': script('x') });
    installed({ 'p@m': [{ scope: 'project', installPath: p, projectPath: path.join(tmp, 'other') }] });
    assert.deepEqual(discoverPlugins({ configDir: config, projectRoot: repo }).plugins, []);
    installed({ 'p@m': [{ scope: 'project', installPath: p, projectPath: repo }] });
    assert.deepEqual(
      discoverPlugins({ configDir: config, projectRoot: repo }).plugins.map((x) => x.name),
      ['p'],
      'named after its folder without a manifest',
    );
    write(
      path.join(config, 'plugins', 'installed_plugins.json'),
      JSON.stringify({ plugins: { 'p@m': { installPath: p } } }),
    );
    assert.deepEqual(
      discoverPlugins({ configDir: config }).plugins.map((x) => x.name),
      ['p'],
    );
  });

  it('a broken registry or a missing plugin folder is a warning, never a crash', () => {
    write(path.join(config, 'plugins', 'installed_plugins.json'), '{ nope');
    const broken = discoverPlugins({ configDir: config, dirs: [path.join(tmp, 'missing')] });
    assert.deepEqual(broken.plugins, []);
    assert.equal(broken.warnings.length, 2);
    assert.match(broken.warnings[0], /installed_plugins\.json: not valid JSON/);
    assert.match(broken.warnings[1], /missing does not exist/);
  });

  it("plugin agents load as <plugin>:<agent> from agents/ or the manifest's agents field", () => {
    const kit = plugin('kit', { name: 'kit' }, { 'agents/helper.md': agentFile('helper', 'Kit helper prompt') });
    const other = plugin(
      'other',
      { name: 'other', agents: 'defs/solo.md' },
      { 'defs/solo.md': agentFile('solo', 'Solo prompt'), 'agents/unlisted.md': agentFile('unlisted', 'x') },
    );
    const plugins = discoverPlugins({ configDir: config, dirs: [kit, other] }).plugins;
    const { agents, warnings } = loadAgentDefinitions(repo, path.join(tmp, 'home'), plugins);
    assert.deepEqual(warnings, []);
    assert.equal(agents.get('kit:helper')?.systemPrompt, 'Kit helper prompt');
    assert.equal(agents.get('other:solo')?.systemPrompt, 'Solo prompt');
    assert.ok(!agents.has('helper') && !agents.has('other:unlisted'));
  });
});
