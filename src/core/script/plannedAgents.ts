// The number of agents a run will start, when the script alone fixes it (issue 10 item 7, "a stable
// total"): the static estimate (estimate.ts) is exact only when it is closed (every size and trip
// count is literal) and nothing can skip an agent() call — no branch, short-circuit, try/catch,
// early return, break or throw. Then the Runs view says "3 of 12 done" while the run goes; any
// other script keeps the honest lower bound "3 of ≥5 done". A failing agent can still make a run
// start fewer (a null pipeline stage skips the next): the plan is what the script asks for.
import * as acorn from 'acorn';
import { estimateAgents } from './estimate';
import { ACORN_OPTIONS } from './syntax';
import { walk } from './walk';

/** Constructs that may leave an agent() call unreached, or reach it a data-dependent number of times. */
const BRANCHING = new Set([
  'IfStatement',
  'ConditionalExpression',
  'LogicalExpression',
  'SwitchStatement',
  'TryStatement',
  'BreakStatement',
  'ContinueStatement',
  'ThrowStatement',
  'LabeledStatement',
  'ChainExpression',
]);

/** Array methods that may stop calling their callback before the last element. */
const STOPS_EARLY = new Set(['some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']);

/** Agents the script always starts, or undefined when its source cannot promise a number. */
export function plannedAgents(source: string): number | undefined {
  let estimate;
  let program: acorn.Program;
  try {
    estimate = estimateAgents(source);
    program = acorn.parse(source.replace(/\r\n/g, '\n'), ACORN_OPTIONS);
  } catch {
    return undefined;
  }
  if (estimate.open || estimate.agents === 0) return undefined;
  let fixed = true;
  walk(program, (node, parent) => {
    if (!fixed) return false;
    if (BRANCHING.has(node.type)) fixed = false;
    // `files.some(f => agent(…))` stops at the first hit.
    else if (
      node.type === 'MemberExpression' &&
      node.property.type === 'Identifier' &&
      STOPS_EARLY.has(node.property.name)
    )
      fixed = false;
    // A return before the end of its block skips what follows (a last statement's return does not).
    else if (
      node.type === 'ReturnStatement' &&
      parent &&
      'body' in parent &&
      Array.isArray(parent.body) &&
      parent.body.at(-1) !== node
    )
      fixed = false;
    return fixed;
  });
  return fixed ? estimate.agents : undefined;
}
