// The registry: Claude Code's tool names and input fields, filters as agent definitions use them,
// and definitions the Messages API accepts.
import assert from 'node:assert/strict';
import {
  allTools,
  isToolEnabled,
  serverToolsFor,
  toApiTool,
  toolsFor,
  webSearchDefinition,
} from '../../../src/agent/tools';

const names = (tools: { name: string }[]) => tools.map((t) => t.name);

describe('tools/registry', () => {
  it("has Claude Code's tools with Claude Code's input fields", () => {
    const fields = Object.fromEntries(
      allTools().map((t) => [t.name, { all: Object.keys(t.inputSchema.properties), required: t.inputSchema.required }]),
    );
    assert.deepEqual(fields, {
      Read: { all: ['file_path', 'offset', 'limit'], required: ['file_path'] },
      Write: { all: ['file_path', 'content'], required: ['file_path', 'content'] },
      Edit: {
        all: ['file_path', 'old_string', 'new_string', 'replace_all'],
        required: ['file_path', 'old_string', 'new_string'],
      },
      Glob: { all: ['pattern', 'path'], required: ['pattern'] },
      Grep: {
        all: [
          'pattern',
          'path',
          'glob',
          'type',
          'output_mode',
          '-i',
          '-n',
          '-A',
          '-B',
          '-C',
          'head_limit',
          'offset',
          'multiline',
        ],
        required: ['pattern'],
      },
      Bash: { all: ['command', 'timeout', 'description'], required: ['command'] },
      WebFetch: { all: ['url', 'prompt'], required: ['url'] },
    });
    for (const t of allTools()) {
      assert.ok(t.description.length > 40, `${t.name} has a description`);
      for (const r of t.inputSchema.required ?? []) assert.ok(r in t.inputSchema.properties);
    }
  });

  it('filters by disallowed names and by an allowed-only list', () => {
    assert.deepEqual(names(toolsFor()), ['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash', 'WebFetch']);
    assert.deepEqual(names(toolsFor({ disallowed: ['Bash', 'Write', 'Edit'] })), ['Read', 'Glob', 'Grep', 'WebFetch']);
    assert.deepEqual(names(toolsFor({ allowedOnly: ['Read', 'Grep', 'Glob'] })), ['Read', 'Glob', 'Grep']);
    assert.deepEqual(names(toolsFor({ allowedOnly: ['Read', 'Bash'], disallowed: ['Bash'] })), ['Read']);
    assert.deepEqual(names(toolsFor({ allowedOnly: ['*'], disallowed: ['WebFetch'] })), [
      'Read',
      'Write',
      'Edit',
      'Glob',
      'Grep',
      'Bash',
    ]);
  });

  it('reads Claude Code rules: Bash(git diff:*) in tools enables Bash, in disallowedTools it does not remove it', () => {
    assert.deepEqual(names(toolsFor({ allowedOnly: ['Read', 'Bash(git diff:*)'] })), ['Read', 'Bash']);
    assert.deepEqual(names(toolsFor({ disallowed: ['Bash(rm:*)'] })), names(allTools()));
    assert.deepEqual(names(toolsFor({ allowedOnly: [' Read ', 'TodoWrite', 'mcp__x__y'] })), ['Read']); // unknown names select nothing
    assert.equal(isToolEnabled('read', { allowedOnly: ['Read'] }), false); // names are case-sensitive, as in Claude Code
  });

  it('WebSearch is a server tool definition that follows the same filters', () => {
    assert.deepEqual(webSearchDefinition(), { type: 'web_search_20250305', name: 'web_search', max_uses: 5 });
    assert.deepEqual(serverToolsFor({}, 3), [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }]);
    assert.deepEqual(serverToolsFor({ disallowed: ['WebSearch'] }), []);
    assert.deepEqual(serverToolsFor({ allowedOnly: ['Read'] }), []);
    assert.equal(serverToolsFor({ allowedOnly: ['WebSearch'] }).length, 1);
  });

  it('toApiTool gives the Messages API shape', () => {
    const read = toApiTool(allTools()[0]);
    assert.deepEqual(Object.keys(read), ['name', 'description', 'input_schema']);
    assert.equal(read.input_schema.type, 'object');
    assert.doesNotThrow(() => JSON.stringify(allTools().map(toApiTool)));
  });

  it('allTools returns a fresh array in a stable order', () => {
    const a = allTools();
    a.pop();
    assert.equal(allTools().length, 7);
    assert.deepEqual(names(allTools()), names(allTools()));
  });
});
