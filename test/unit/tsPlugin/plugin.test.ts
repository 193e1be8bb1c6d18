// The TypeScript server plugin in a real language service: workflow scripts see the typed globals
// (no "Cannot find name 'agent'" under checkJs, hover docs, typed schema results, option-value
// completions), other .js files do not, and the added import is never visible to the person.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { MODEL_ALIASES } from '../../../src/agent/models';
import { hoverText, pluggedService } from './languageService';

const CHECK_JS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: true,
  strict: true,
  noEmit: true,
  types: [],
  skipLibCheck: true,
  lib: ['lib.es2022.d.ts'],
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
};

const SCRIPT = `// A review.
export const meta = { name: 'review', description: 'Reviews files' }
phase('Review')
const verdict = await agent('Review a.ts', { schema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } })
const text = await agent('Say hi', { model: 'sonnet', agentType: 'Explore' })
log(budget.remaining())
return { verdict, text, args }
`;

function messages(diags: readonly ts.Diagnostic[]): string[] {
  return diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('TypeScript plugin: workflow globals in workflow scripts only', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-tsplugin-')));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('under checkJs a workflow script has no unknown names while another .js file still has them', () => {
    const script = path.join(dir, 'review.js');
    const helper = path.join(dir, 'helper.js');
    fs.writeFileSync(script, SCRIPT);
    fs.writeFileSync(helper, `export async function ask() { return agent('hi') }\n`);
    const { service } = pluggedService([script, helper], CHECK_JS);
    assert.deepEqual(
      messages([...service.getSyntacticDiagnostics(script), ...service.getSemanticDiagnostics(script)]),
      [],
    );
    assert.deepEqual(messages(service.getSemanticDiagnostics(helper)), ["Cannot find name 'agent'."]);
  });

  it('hover shows the doc of agent and the type of a schema result', () => {
    const script = path.join(dir, 'review.js');
    fs.writeFileSync(script, SCRIPT);
    const { service } = pluggedService([script], CHECK_JS);
    assert.match(
      hoverText(service, script, 'agent('),
      // The declaration alone: not the `(alias)` and `import agent` of the appended import.
      /^agent<[\s\S]*\(\+2 overloads\)\nStarts one subagent/,
    );
    assert.match(hoverText(service, script, 'verdict'), /const verdict: \{\s*n: number;\s*\} \| null/);
    assert.match(hoverText(service, script, 'text'), /const text: string \| null/);
  });

  it('a file in .claude/workflows counts without a meta head; a script declaring its own log keeps it', () => {
    const folder = path.join(dir, '.claude', 'workflows');
    fs.mkdirSync(folder, { recursive: true });
    const saved = path.join(folder, 'saved.js');
    fs.writeFileSync(
      saved,
      `// meta comes later\nconst log = (/** @type {unknown} */ m) => m\nlog(await agent('x'))\nexport const meta = { name: 'a', description: 'b' }\n`,
    );
    const { service } = pluggedService([saved], CHECK_JS);
    assert.deepEqual(messages(service.getSemanticDiagnostics(saved)), []);
    assert.match(hoverText(service, saved, 'log'), /const log: \(m: unknown\) => unknown/);
  });

  it('the import resolves under every module resolution mode', () => {
    const script = path.join(dir, 'review.js');
    fs.writeFileSync(script, SCRIPT);
    const modes: [ts.ModuleKind, ts.ModuleResolutionKind][] = [
      [ts.ModuleKind.ES2020, ts.ModuleResolutionKind.Classic],
      [ts.ModuleKind.CommonJS, ts.ModuleResolutionKind.Node10],
      [ts.ModuleKind.Node16, ts.ModuleResolutionKind.Node16],
      [ts.ModuleKind.NodeNext, ts.ModuleResolutionKind.NodeNext],
      [ts.ModuleKind.ESNext, ts.ModuleResolutionKind.Bundler],
    ];
    for (const [module, moduleResolution] of modes) {
      const { service } = pluggedService([script], { ...CHECK_JS, module, moduleResolution });
      assert.deepEqual(
        messages(service.getSemanticDiagnostics(script)),
        [],
        `module ${ts.ModuleKind[module]}, resolution ${ts.ModuleResolutionKind[moduleResolution]}`,
      );
      assert.match(hoverText(service, script, 'verdict'), /n: number/);
    }
  });

  it('completes model aliases, effort levels and agent types (built-in and .claude/agents)', () => {
    fs.mkdirSync(path.join(dir, '.claude', 'agents'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, '.claude', 'agents', 'security-reviewer.md'),
      '---\nname: security-reviewer\ndescription: Finds injection bugs\n---\nYou review.\n',
    );
    const script = path.join(dir, 'review.js');
    const text = `export const meta = { name: 'r', description: 'd' }\nawait agent('p', { model: '', effort: '', agentType: 'Ex' })\n`;
    fs.writeFileSync(script, text);
    const { service } = pluggedService([script], CHECK_JS);
    const names = (at: number): string[] =>
      (service.getCompletionsAtPosition(script, at, {})?.entries ?? []).map((e) => e.name);
    // The aliases the runtime resolves (models.ts), so the declarations cannot drift from them.
    const aliases = Object.keys(MODEL_ALIASES).sort();
    assert.deepEqual(
      names(text.indexOf(`model: '`) + 8)
        .filter((n) => aliases.includes(n))
        .sort(),
      aliases,
    );
    assert.deepEqual(names(text.indexOf(`effort: '`) + 9).sort(), ['high', 'low', 'max', 'medium', 'xhigh']);
    const agentTypes = service.getCompletionsAtPosition(script, text.indexOf(`'Ex'`) + 3, {});
    assert.deepEqual(agentTypes?.entries.map((e) => e.name).slice(0, 4), [
      'general-purpose',
      'Explore',
      'Plan',
      'security-reviewer',
    ]);
    const reviewer = agentTypes?.entries.find((e) => e.name === 'security-reviewer');
    assert.equal(reviewer?.labelDetails?.description, 'Finds injection bugs');
    assert.deepEqual(reviewer?.replacementSpan, { start: text.indexOf(`'Ex'`) + 1, length: 2 });
  });

  it('a .js file that is no workflow script gets neither the names nor agent-type completions', () => {
    const plain = path.join(dir, 'plain.js');
    const text = `// @ts-check\nconst x = { agentType: '' }\nagent('p', { agentType: '' })\n`;
    fs.writeFileSync(plain, text);
    const { service } = pluggedService([plain], CHECK_JS);
    const entries = service.getCompletionsAtPosition(plain, text.lastIndexOf(`''`) + 1, {})?.entries ?? [];
    assert.ok(!entries.some((e) => e.name === 'Explore'), entries.map((e) => e.name).join(', '));
    assert.deepEqual(messages(service.getSemanticDiagnostics(plain)), ["Cannot find name 'agent'."]);
  });
});
