// agent({ bashCommandClamp: ['Bash(git diff:*)', …] }): the script narrows what this agent's
// shell commands may be. A command runs only if every part of it matches a clamp rule (same
// matching as permission allow rules) AND the normal permission gate then allows it; the clamp
// never widens anything and never asks the person — outside it is simply refused.
import { checkCommand, parseRule, type Rule } from './permissions';
import type { CommandGate } from './tools';

export function clampCommands(gate: CommandGate, clamp: readonly string[], roots: readonly string[]): CommandGate {
  let allow: Rule[];
  try {
    allow = clamp.map((text) => ({ ...parseRule(text), source: 'bashCommandClamp' }));
  } catch (e) {
    const why = (e as Error).message;
    return {
      check: async () => ({
        allowed: false,
        reason: `this agent's bashCommandClamp cannot be read (${why}), so no command may run.`,
      }),
    };
  }
  return {
    async check(command, cwd, signal) {
      const verdict = checkCommand(command, { allow, deny: [], ask: [] }, { roots, cwd });
      if (verdict.decision !== 'allow') {
        return {
          allowed: false,
          reason: `this agent may only run commands matching its bashCommandClamp (${clamp.join(', ')}); \`${command}\` does not.`,
        };
      }
      return gate.check(command, cwd, signal);
    },
  };
}
