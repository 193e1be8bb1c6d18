// The JSON-Schema-to-type mapping of workflow-api.d.ts, checked by compiling TypeScript against it:
// the types inferred for `agent(p, { schema })` results, and the errors a wrong use must raise.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { DECLARATIONS } from './languageService';

/** Compiles `source` (with the API imported) strictly; returns each `probe_*` variable's type and the errors. */
function compile(source: string): { types: Record<string, string>; errors: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-fromschema-'));
  const file = path.join(dir, 'probe.ts');
  const api = JSON.stringify(DECLARATIONS.replace(/\.d\.ts$/, '.js'));
  fs.writeFileSync(
    file,
    `import { agent, parallel, pipeline, budget } from ${api};\nimport type { FromSchema } from ${api};\n${source}\nexport {};\n`,
  );
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  });
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(file)!;
  const types: Record<string, string> = {};
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text.startsWith('probe_')) {
      types[node.name.text.slice(6)] = checker.typeToString(
        checker.getTypeAtLocation(node.name),
        undefined,
        ts.TypeFormatFlags.NoTruncation,
      );
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  fs.rmSync(dir, { recursive: true, force: true });
  return { types, errors };
}

describe('workflow-api.d.ts: JSON Schema literal to TypeScript type', () => {
  it('types the primitive keywords: string, number, integer, boolean, null, enum, const', () => {
    const { types, errors } = compile(`
      declare const probe_s: FromSchema<{ type: 'string' }>;
      declare const probe_n: FromSchema<{ type: 'number' }>;
      declare const probe_i: FromSchema<{ type: 'integer' }>;
      declare const probe_b: FromSchema<{ type: 'boolean' }>;
      declare const probe_z: FromSchema<{ type: 'null' }>;
      declare const probe_e: FromSchema<{ type: 'string', enum: readonly ['low', 'high'] }>;
      declare const probe_c: FromSchema<{ const: 42 }>;
      declare const probe_u: FromSchema<{ type: readonly ['string', 'null'] }>;
      declare const probe_x: FromSchema<{ description: 'no type' }>;`);
    assert.deepEqual(errors, []);
    assert.deepEqual(types, {
      s: 'string',
      n: 'number',
      i: 'number',
      b: 'boolean',
      z: 'null',
      e: '"low" | "high"',
      c: '42',
      u: 'string | null',
      x: 'unknown',
    });
  });

  it('types an agent({ schema }) result from the literal: required, optional, nested arrays and objects', () => {
    const { types, errors } = compile(`
      const probe_r = await agent('p', { schema: { type: 'object', properties: {
        n: { type: 'number' },
        note: { type: 'string' },
        bugs: { type: 'array', items: { type: 'object', properties: { line: { type: 'integer' }, severity: { enum: ['low', 'high'] } }, required: ['line', 'severity'] } },
      }, required: ['n', 'bugs'] } });
      const probe_text = await agent('p');
      const probe_opts = await agent('p', { model: 'haiku', effort: 'low', label: 'x' });
      const probe_free = await agent('p', { schema: { type: 'object', additionalProperties: true } });
      const widened: { type: string } = { type: 'object' };
      const probe_wide = await agent('p', { schema: widened });`);
    assert.deepEqual(errors, []);
    assert.equal(
      types.r,
      '{ n: number; bugs: { line: number; severity: "low" | "high"; }[]; note?: string | undefined; } | null',
    );
    assert.equal(types.text, 'string | null');
    assert.equal(types.opts, 'string | null');
    assert.equal(types.free, '{ [key: string]: unknown; } | null');
    assert.equal(types.wide, 'any', 'a schema whose literal types are gone gives an untyped result, not an error');
  });

  it('rejects wrong uses: a misspelt option value, a missing property, unchecked null', () => {
    const { errors } = compile(`
      await agent('p', { effort: 'extreme' });
      await agent('p', { isolation: 'remote' });
      const r = await agent('p', { schema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } });
      r.n.toFixed();
      if (r) r.missing;
      budget.total.toFixed();`);
    const expect = [
      /"extreme"/,
      /"remote"/,
      /'r' is possibly 'null'/,
      /Property 'missing' does not exist/,
      /'budget.total' is possibly 'null'/,
    ];
    for (const re of expect)
      assert.ok(
        errors.some((e) => re.test(e)),
        `an error matching ${re} among:\n${errors.join('\n')}`,
      );
    assert.equal(errors.length, expect.length, errors.join('\n'));
  });

  it('types parallel() and pipeline() results slot by slot', () => {
    const { types, errors } = compile(`
      const probe_p = await parallel([() => agent('a'), () => agent('b', { schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } })]);
      const probe_m = await parallel(['x', 'y'].map((f) => () => agent(f)));
      const probe_l = await pipeline(['a.ts'], (f) => agent(f), (text, f, i) => text.length + f.length + i);`);
    assert.deepEqual(errors, []);
    assert.equal(types.p, '[string | null, { ok: boolean; } | null]');
    assert.equal(types.m, '(string | null)[]');
    assert.equal(types.l, '(number | null)[]');
  });
});
