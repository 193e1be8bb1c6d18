// Layering rules of ARCHITECTURE.md, checked on the source: dependencies point down only.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(abs, f));
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|require\(|import\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

describe('architecture', () => {
  it('src/core imports nothing from vscode, src/agent or the hosts', () => {
    const files = sources('src/core');
    assert.ok(files.length > 10, 'found the engine sources');
    for (const f of files) {
      for (const spec of imports(f)) {
        assert.notEqual(spec, 'vscode', `${path.relative(ROOT, f)} imports vscode`);
        const target = spec.startsWith('.') ? path.resolve(path.dirname(f), spec) : '';
        for (const layer of ['src/agent', 'src/cli', 'src/vscode', 'src/host']) {
          assert.ok(
            !target.startsWith(path.join(ROOT, layer)),
            `${path.relative(ROOT, f)} imports ${spec} from ${layer}`,
          );
        }
      }
    }
  });

  it('src/host (the assembly both hosts call) imports neither host nor vscode', () => {
    const files = sources('src/host');
    assert.ok(files.length > 0, 'found the assembly sources');
    for (const f of files) {
      for (const spec of imports(f)) {
        const target = spec.startsWith('.') ? path.resolve(path.dirname(f), spec) : '';
        for (const layer of ['src/cli', 'src/vscode']) {
          assert.ok(
            !target.startsWith(path.join(ROOT, layer)),
            `${path.relative(ROOT, f)} imports ${spec} from ${layer}`,
          );
        }
      }
    }
  });

  it('src/agent imports nothing from src/host or the hosts (the assembly sits above it)', () => {
    for (const f of sources('src/agent')) {
      for (const spec of imports(f)) {
        const target = spec.startsWith('.') ? path.resolve(path.dirname(f), spec) : '';
        for (const layer of ['src/host', 'src/cli', 'src/vscode']) {
          assert.ok(
            !target.startsWith(path.join(ROOT, layer)),
            `${path.relative(ROOT, f)} imports ${spec} from ${layer}`,
          );
        }
      }
    }
  });

  it('src/agent imports only types from src/core (runtime pieces both need live in src/shared)', () => {
    for (const f of sources('src/agent')) {
      const text = fs.readFileSync(f, 'utf8');
      for (const m of text.matchAll(/^import\s+(type\s+)?[^'"]*from\s+['"]([^'"]+)['"]/gm)) {
        const target = m[2].startsWith('.') ? path.resolve(path.dirname(f), m[2]) : '';
        if (target.startsWith(path.join(ROOT, 'src/core')))
          assert.ok(
            m[1],
            `${path.relative(ROOT, f)} imports runtime code from ${m[2]}: use \`import type\`, or move it to src/shared`,
          );
      }
    }
  });

  it('src/shared imports nothing but Node built-ins and itself', () => {
    const files = sources('src/shared');
    assert.ok(files.length > 0, 'found the shared sources');
    for (const f of files) {
      for (const spec of imports(f))
        assert.ok(spec.startsWith('node:') || spec.startsWith('./'), `${path.relative(ROOT, f)} imports ${spec}`);
    }
  });

  it('src/vscode registers commands in one place, and only the command table imports command modules', () => {
    const files = sources('src/vscode');
    const table = path.join(ROOT, 'src/vscode/commandTable.ts');
    assert.ok(files.includes(table), 'found the command table');
    assert.match(fs.readFileSync(table, 'utf8'), /vscode\.commands\.registerCommand\(/);
    for (const f of [...files, path.join(ROOT, 'src/extension.ts')]) {
      if (f === table) continue;
      const rel = path.relative(ROOT, f);
      assert.doesNotMatch(fs.readFileSync(f, 'utf8'), /\bregisterCommand\(/, `${rel} registers a command`);
      for (const spec of imports(f))
        assert.doesNotMatch(spec, /Commands?$/, `${rel} imports the command module ${spec}`);
    }
  });

  it('only src/vscode imports vscode', () => {
    for (const dir of ['src/agent', 'src/cli', 'src/core', 'src/host']) {
      for (const f of sources(dir))
        assert.ok(!imports(f).includes('vscode'), `${path.relative(ROOT, f)} imports vscode`);
    }
  });
});
