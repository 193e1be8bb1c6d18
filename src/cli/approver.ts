// How the command line answers "may this agent run this command?": a person at a terminal is
// asked (y once / a always / n deny); headless, only --allow rules pass unless --yes was given.
import * as readline from 'node:readline';
import { hiddenCount, nonAsciiCharacters, oneLine, visibleText, type ApprovalRequest, type Approver } from '../core';
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

export const HEADLESS_HINT =
  "No one can approve commands in a headless run: pass --allow 'Bash(<command>:*)' for the commands the workflow needs, or --yes to allow all.";

/**
 * The question as the terminal shows it: the whole command, line by line behind a gutter, every
 * control, bidi and invisible character as a visible escape (a `\r` or `ESC [2K` in the command
 * can no longer redraw the line the person reads), then why it asks and what "always" would save.
 */
export function approvalPrompt(req: ApprovalRequest): string {
  const tool = req.tool ?? 'Bash';
  const lines = req.command.split('\n');
  const what = tool === 'Bash' ? `run a command${lines.length > 1 ? ` of ${lines.length} lines` : ''}` : `use ${tool}`;
  const out = [``, `Agent "${oneLine(req.agentLabel)}" wants to ${what}:`];
  const gutter = String(lines.length).length;
  lines.forEach((l, i) => out.push(`  ${lines.length > 1 ? String(i + 1).padStart(gutter) : ''}│ ${oneLine(l)}`));
  const hidden = hiddenCount(req.command) + (req.command.match(/\t/g)?.length ?? 0);
  if (hidden)
    out.push(
      `  ! ${hidden} invisible or control character${hidden === 1 ? ' is' : 's are'} shown as \\x.. / \\u.... escapes.`,
    );
  const foreign = nonAsciiCharacters(req.command);
  if (foreign.length)
    out.push(
      `  ! Non-ASCII characters (they may look like ASCII ones): ${foreign.slice(0, 12).join(', ')}${foreign.length > 12 ? ` and ${foreign.length - 12} more` : ''}.`,
    );
  if (req.reason)
    out.push(
      ...visibleText(req.reason, { multiline: true })
        .split('\n')
        .map((l, i) => (i === 0 ? `Why: ${l}` : `     ${l}`)),
    );
  if (req.rules?.length) out.push(`"Always" saves: ${req.rules.map(oneLine).join(', ')}`);
  return out.join('\n') + '\n';
}

/** Whether "always" may be offered: unless the request says which rules it saves and there are none. */
function offersAlways(req: ApprovalRequest): boolean {
  return req.rules === undefined || req.rules.length > 0;
}

/**
 * The terminal's approver. Ctrl+C at the prompt stops the run as Ctrl+C does elsewhere
 * (`interrupt`: by default the process's own SIGINT, which dwf turns into a stop): the question and
 * those queued behind it stay unanswered, and the stop ends the agents waiting on them — an answer
 * would reach a remote agent first and be recorded. End of input denies, and later questions too.
 */
export function terminalApprover(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  suspend: <T>(fn: () => Promise<T>) => Promise<T>,
  interrupt: () => void = () => process.kill(process.pid, 'SIGINT'),
): Approver {
  // One question at a time: parallel agents queue behind each other at the prompt.
  let queue: Promise<unknown> = Promise.resolve();
  let gone: 'interrupted' | 'closed' | undefined;
  const prompt = (req: ApprovalRequest) =>
    new Promise<'once' | 'always' | 'deny'>((resolve) => {
      const rl = readline.createInterface({ input, output });
      let answered = false;
      // On a terminal readline reads Ctrl+C itself (raw mode): without this the prompt would close
      // unanswered and the agent wait forever.
      rl.on('SIGINT', () => {
        answered = true;
        gone = 'interrupted';
        rl.close();
        output.write('\n');
        interrupt();
      });
      rl.on('close', () => {
        if (answered) return;
        gone = 'closed';
        output.write('\n');
        resolve('deny');
      });
      output.write(approvalPrompt(req));
      const always = offersAlways(req);
      rl.question(
        always ? 'Allow? [y] once, [a] always in this workspace, [n] deny: ' : 'Allow? [y] once, [n] deny: ',
        (answer) => {
          answered = true;
          rl.close();
          const a = answer.trim().toLowerCase();
          resolve(a === 'y' || a === 'yes' ? 'once' : always && (a === 'a' || a === 'always') ? 'always' : 'deny');
        },
      );
    });
  return {
    approveCommand(req) {
      const ask = () => {
        if (gone === 'interrupted') return new Promise<never>(() => undefined);
        if (gone === 'closed') return Promise.resolve('deny' as const);
        return suspend(() => prompt(req));
      };
      const next = queue.then(ask, ask);
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
