// Per-turn durability (issue 13): a host that records work (the remote engine's worker) wraps each
// model turn and each tool call as a step. On replay a recorded step returns its recorded result
// without running again, so a taken-over agent re-creates its transcript without paying a turn twice.
export interface DurableSteps {
  /** One model turn (the whole request, retries included). */
  turn<T>(turn: number, fn: () => Promise<T>): Promise<T>;
  /** One tool call of that turn. */
  tool<T>(turn: number, callId: string, fn: () => Promise<T>): Promise<T>;
}
