// Reading what the guest reports about failures: ErrorInfo it encodes (checked, never trusted —
// a script can tamper with its own realm), the engine-level errors a script author cannot know
// (interrupt, memory cap, stack overflow) turned into advice, and call sites from guest stacks.
import { PRELUDE_FILE } from './guestWire';
import type { SandboxLimits } from './protocol';
import type { ErrorInfo, SourceLocation } from '../types';

export function readErrorInfo(text: string): ErrorInfo {
  try {
    const v = JSON.parse(text) as Partial<ErrorInfo> | null;
    if (v && typeof v.name === 'string' && typeof v.message === 'string') {
      return typeof v.stack === 'string' && v.stack
        ? { name: v.name, message: v.message, stack: v.stack }
        : { name: v.name, message: v.message };
    }
  } catch {
    // malformed: fall through
  }
  return { name: 'InternalError', message: 'the script failed and its error could not be read' };
}

/** Stack-overflow traces run to thousands of frames (findings gotcha 9): keep the first 5. */
export function truncateStack(stack: string | undefined): string | undefined {
  if (!stack) return stack;
  const lines = stack.split('\n').filter((l) => l.trim());
  return lines.slice(0, 5).join('\n');
}

/**
 * The CPU deadline of one VM entry fired. Microtasks run inside the entry, so a loop that awaits
 * only settled promises is as much a runaway as `while(true){}`: it never gives the host a turn.
 */
export function sliceExceeded(limits: SandboxLimits): string {
  return (
    `The script ran for more than ${limits.sliceMs} ms without awaiting an agent, a workflow or a timer: ` +
    'a synchronous loop such as while(true){}, or a loop that awaits only already-settled promises ' +
    '(while(true) await null), keeps computing and never gives the host a turn. ' +
    'The run was stopped. If the work is legitimate, raise the limit per slice with the dynamicWorkflows.sliceLimitMs setting ' +
    'or dwf --slice-ms <ms> (default 30000).'
  );
}

/** Adds what to do to the engine-level errors a script author cannot know. */
export function explainGuestError(info: ErrorInfo, limits: SandboxLimits): ErrorInfo {
  if (info.name === 'InternalError' && /interrupted/.test(info.message))
    return { ...info, message: sliceExceeded(limits) };
  if (info.name === 'InternalError' && /out of memory/.test(info.message)) {
    return {
      ...info,
      message: `The script used more than the ${limits.memoryMb} MB memory cap (dynamicWorkflows.memoryMb).`,
    };
  }
  if (info.name === 'InternalError' && /stack overflow/.test(info.message)) {
    return {
      ...info,
      message: 'Maximum call stack size exceeded (recursion too deep in the script).',
      stack: truncateStack(info.stack),
    };
  }
  return { ...info, stack: truncateStack(info.stack) };
}

/** The first frame of a captured guest stack that lies in the user's script. */
export function userSite(g: unknown, stack: string | undefined): SourceLocation | undefined {
  if (!stack || !g) return undefined;
  for (const line of stack.split('\n')) {
    if (line.includes(PRELUDE_FILE)) continue;
    const m = /:(\d+):(\d+)\)?\s*$/.exec(line);
    if (m) return { line: Number(m[1]), column: Number(m[2]) };
  }
  return undefined;
}
