// Per-turn durability (issue 13): a host that records work (the remote engine's worker) wraps each
// model turn and each tool call as a step. On replay a recorded step returns its recorded result
// without running again, so a taken-over agent re-creates its transcript without paying a turn twice.
import { StallError, TerminalApiError } from './request';
export interface DurableSteps {
  /** One model turn (the whole request, retries included). */
  turn<T>(turn: number, fn: () => Promise<T>): Promise<T>;
  /** One tool call of that turn. */
  tool<T>(turn: number, callId: string, fn: () => Promise<T>): Promise<T>;
}

/** An error a recorded step threw, kept as the step's value (DBOS revives errors as plain Errors). */
export interface RecordedThrow {
  thrown: { name: string; message: string };
}

export function recordThrow(e: unknown): RecordedThrow {
  const err = e instanceof Error ? e : new Error(String(e));
  return { thrown: { name: err.name, message: err.message } };
}

/** The recorded error as the loop's own class again, so a replay ends the agent as the live run did. */
export function reviveThrow(r: RecordedThrow): Error {
  const { name, message } = r.thrown;
  if (name === 'TerminalApiError') return new TerminalApiError(message);
  const err = name === 'AgentStallError' ? new StallError(0, 0) : new Error(message);
  err.message = message;
  if (!(err instanceof StallError)) err.name = name;
  return err;
}
