// Journal labels back to call sites: by the label template, or by the prompt a default label
// was cut from (the first 60 characters, whitespace collapsed).
import assert from 'node:assert/strict';
import * as acorn from 'acorn';
import { matchSite, sitePattern } from '../../../src/core/estimate/siteMatch';
import type { AgentSite } from '../../../src/core/estimate/fanout';
import { agentLabel } from '../../../src/core/run/agentOptions';

function sites(...calls: string[]): AgentSite[] {
  return calls.map((c, id) => {
    const call = (acorn.parse(c, { ecmaVersion: 'latest' }).body[0] as acorn.ExpressionStatement)
      .expression as acorn.CallExpression;
    const opts = call.arguments[1];
    const label =
      opts?.type === 'ObjectExpression'
        ? opts.properties.find((p) => p.type === 'Property' && p.key.type === 'Identifier' && p.key.name === 'label')
        : undefined;
    return {
      id,
      file: 'wf.js',
      line: id + 1,
      promptNode: call.arguments[0] as acorn.AnyNode,
      labelNode: label?.type === 'Property' ? (label.value as acorn.AnyNode) : undefined,
    };
  });
}

const pick = (all: AgentSite[], label: string) =>
  matchSite(
    label,
    all.flatMap((site) => (sitePattern(site) ? [{ site, pattern: sitePattern(site)! }] : [])),
  )?.id;

describe('estimate/siteMatch', () => {
  const all = sites(
    'agent(`Review ${file} for real bugs: wrong logic, unhandled errors, races, security problems.`, { label: `review:${file}` })',
    'agent(`A reviewer claims this bug in ${file}: "${f.title}" — try to refute it by reading the code and its callers.`)',
    "agent('List the source files changed in the git working tree compared to HEAD (run git diff)')",
    'agent(`Review ${file} again`)',
  );

  it('an explicit label template wins', () => {
    assert.equal(pick(all, 'review:src/a.ts'), 0);
  });

  it('a default label (the prompt cut at 60 characters) finds the prompt it came from', () => {
    const label = agentLabel(
      'A reviewer claims this bug in src/a.ts: "null deref" — try to refute it by reading the code and its callers.',
      undefined,
    );
    assert.equal(label.length, 60);
    assert.equal(pick(all, label), 1);
    assert.equal(
      pick(
        all,
        agentLabel('List the source files changed in the git working tree compared to HEAD (run git diff)', undefined),
      ),
      2,
    );
    assert.equal(pick(all, agentLabel('Review src/b.ts again', undefined)), 3);
  });

  it('a label no site explains matches none', () => {
    assert.equal(pick(all, 'something else entirely'), undefined);
  });
});
