// The guest's setTimeout: the worker keeps the real timer and settles the guest's promise id
// when it fires (the callback runs in the guest, prelude setTimeout).
export class GuestTimers {
  private readonly timers = new Map<number, NodeJS.Timeout>();

  start(id: number, ms: number, fire: (id: number) => void): void {
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        fire(id);
      }, ms),
    );
  }

  clear(id: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  clearAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  get size(): number {
    return this.timers.size;
  }
}
