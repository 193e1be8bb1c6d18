// Bounded capture of a command's output: keeps the head and the tail (where test runners and
// compilers print their summary and errors) and counts what was dropped in between, so a command
// printing gigabytes costs a fixed amount of memory.
export class OutputCapture {
  private head = '';
  private tail = '';
  private dropped = 0;
  private readonly headMax: number;
  private readonly tailMax: number;

  constructor(maxChars: number) {
    this.headMax = Math.floor(maxChars / 2);
    this.tailMax = maxChars - this.headMax;
  }

  push(text: string): void {
    if (this.head.length < this.headMax) {
      const take = text.slice(0, this.headMax - this.head.length);
      this.head += take;
      text = text.slice(take.length);
    }
    if (text === '') return;
    this.tail += text;
    // Trim in batches (amortised O(1) per character) rather than on every chunk.
    if (this.tail.length > this.tailMax * 2) this.trimTail();
  }

  get total(): number {
    return this.head.length + this.tail.length + this.dropped;
  }

  text(): string {
    this.trimTail();
    if (this.dropped === 0) return this.head + this.tail;
    return `${this.head}\n[Output cut: ${this.dropped} of ${this.total} characters left out here; the start and the end are shown. Redirect to a file and use Read or Grep to see all of it.]\n${this.tail}`;
  }

  private trimTail(): void {
    if (this.tail.length <= this.tailMax) return;
    this.dropped += this.tail.length - this.tailMax;
    this.tail = this.tail.slice(this.tail.length - this.tailMax);
  }
}
