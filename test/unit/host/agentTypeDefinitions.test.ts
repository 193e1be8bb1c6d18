// One source for the agent types the editor checks names against and the models plans price them at.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentTypeDefinitions, agentTypeModels } from '../../../src/host/agentTypeModels';

describe('host/agentTypeDefinitions', () => {
  it('lists built-ins, personal and project agents with their models; agentTypeModels answers from the same list', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-agenttypes-'));
    try {
      const root = path.join(tmp, 'proj');
      const configDir = path.join(tmp, 'config');
      fs.mkdirSync(path.join(root, '.claude', 'agents'), { recursive: true });
      fs.mkdirSync(path.join(configDir, 'agents'), { recursive: true });
      fs.writeFileSync(
        path.join(root, '.claude', 'agents', 'repro.md'),
        '---\nname: repro\ndescription: Reproduces one bug\nmodel: haiku\n---\nBody',
      );
      fs.writeFileSync(
        path.join(configDir, 'agents', 'mine.md'),
        '---\nname: mine\ndescription: A personal agent\n---\nBody',
      );
      const personal = { configDir, home: tmp };
      const defs = agentTypeDefinitions(root, personal);
      assert.ok(defs.has('repro') && defs.has('mine') && defs.has('Explore'), [...defs.keys()].join(', '));
      assert.equal(defs.get('repro'), 'haiku');
      const model = agentTypeModels(root, personal);
      for (const [name, m] of defs) assert.equal(model(name), m, name);
      assert.equal(model('nope'), undefined);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
