import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAgentDefinitions, parseAgentDefinition } from '../../../src/agent/agentTypes';
import { toolsFor } from '../../../src/agent/tools';

function tempTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-agents-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('agent types', () => {
  it('has Claude Code built-ins: general-purpose, and read-only Explore and Plan', () => {
    const home = tempTree({});
    const { agents, warnings } = loadAgentDefinitions(tempTree({}), home);
    assert.deepEqual(warnings, []);
    assert.deepEqual([...agents.keys()].sort(), ['Explore', 'Plan', 'general-purpose']);
    for (const name of ['Explore', 'Plan']) {
      const def = agents.get(name)!;
      const tools = toolsFor({ disallowed: def.disallowedTools, allowedOnly: def.tools }).map((t) => t.name);
      assert.ok(!tools.includes('Write') && !tools.includes('Edit'), `${name} must not write: ${tools}`);
      assert.ok(tools.includes('Read') && tools.includes('Grep') && tools.includes('Glob'), `${name} reads: ${tools}`);
    }
    assert.equal(agents.get('Explore')!.model, 'haiku');
  });

  it('a project or personal file of the same name overrides a built-in', () => {
    const home = tempTree({
      '.claude/agents/plan.md': '---\nname: Plan\ndescription: mine\n---\nPersonal plan prompt',
    });
    const ws = tempTree({
      '.claude/agents/explore.md': '---\nname: Explore\ndescription: ours\ntools: Read\n---\nProject explore prompt',
    });
    const { agents } = loadAgentDefinitions(ws, home);
    assert.equal(agents.get('Plan')!.systemPrompt, 'Personal plan prompt');
    assert.equal(agents.get('Explore')!.systemPrompt, 'Project explore prompt');
    assert.deepEqual(agents.get('Explore')!.tools, ['Read']);
  });

  it('frontmatter strict YAML rejects is retried with the problem values quoted, as Claude Code does', () => {
    const text =
      '---\nname: repro\ndescription: Use this agent for one thing: the repro\ntools: Read, Grep\nmodel: haiku\n---\nBody';
    const def = parseAgentDefinition(text, '/x/repro.md');
    assert.ok(!('error' in def), JSON.stringify(def));
    assert.equal(def.description, 'Use this agent for one thing: the repro');
    assert.deepEqual(def.tools, ['Read', 'Grep']);
    assert.equal(def.model, 'haiku');
  });

  it('a file that still fails is reported with its path and the YAML reason, and the others load', () => {
    const ws = tempTree({
      '.claude/agents/bad.md': '---\nname: bad\ntools: [Read\n---\nBody',
      '.claude/agents/good.md': '---\nname: good\ndescription: fine\n---\nBody',
    });
    const { agents, warnings } = loadAgentDefinitions(ws, tempTree({}));
    assert.ok(agents.has('good'));
    assert.ok(!agents.has('bad'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /bad\.md: invalid frontmatter \(YAML\): /);
  });
});
