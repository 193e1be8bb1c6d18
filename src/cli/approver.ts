// How the command line answers "may this agent run this command?": a person at a terminal is
// asked (y once / a always / n deny); headless, only --allow rules pass unless --yes was given.
import * as readline from 'node:readline';
import type { Approver } from '../core/ports';
import type { UnattendedApprover } from '../agent/permissions';

/**
 * Nobody is asked: --yes approves once, else deny. Marked unattended, so the gate refuses
 * commands it cannot see through while deny rules exist, and says nobody was asked.
 */
export function headlessApprover(yes: boolean): UnattendedApprover {
  return {
    unattended: true,
    approveCommand: async () => (yes ? 'once' : 'deny'),
  };
}

export const HEADLESS_HINT = "No one can approve commands in a headless run: pass --allow 'Bash(<command>:*)' for the commands the workflow needs, or --yes to allow all.";

export function terminalApprover(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, suspend: <T>(fn: () => Promise<T>) => Promise<T>): Approver {
  // One question at a time: parallel agents queue behind each other at the prompt.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    approveCommand(req) {
      const ask = () =>
        suspend(
          () =>
            new Promise<'once' | 'always' | 'deny'>((resolve) => {
              const rl = readline.createInterface({ input, output });
              output.write(`\nAgent "${req.agentLabel}" wants to run:\n  ${req.command}\n`);
              rl.question('Allow? [y] once, [a] always in this workspace, [n] deny: ', (answer) => {
                rl.close();
                const a = answer.trim().toLowerCase();
                resolve(a === 'y' || a === 'yes' ? 'once' : a === 'a' || a === 'always' ? 'always' : 'deny');
              });
            }),
        );
      const next = queue.then(ask, ask);
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
