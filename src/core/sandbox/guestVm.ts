// The QuickJS runtime of one sandbox worker and its deadline: a capped WebAssembly heap, a small
// QuickJS stack, and an interrupt handler that ends a VM entry running past its slice or stopped
// by the parent (the watch buffer's stop word).
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSRuntime } from 'quickjs-emscripten-core';
import RELEASE_SYNC from '@jitl/quickjs-wasmfile-release-sync';
import { compiledQuickJs } from './wasm';
import { WATCH, type StartMessage } from './protocol';

export class GuestVm {
  private deadline = Infinity;
  /**
   * The deadline fired. An interrupt inside a promise job can break the chain that would carry
   * its error to the script's result (the main promise then just stays pending), so the pump
   * ends the run on this flag rather than waiting for the error to surface.
   */
  interrupted = false;

  private constructor(
    readonly rt: QuickJSRuntime,
    private readonly watch: Int32Array,
    private readonly sliceMs: number,
    onStop: () => void,
  ) {
    rt.setInterruptHandler(() => {
      // Stop: the parent is already gone from this run; end the guest without reporting.
      if (Atomics.load(this.watch, WATCH.stop) !== 0) {
        onStop();
        return true;
      }
      if (Date.now() <= this.deadline) return false;
      this.interrupted = true;
      return true;
    });
  }

  /** A runtime with the start message's limits; `onStop` runs when the parent's Stop is seen. */
  static async create(start: StartMessage, onStop: () => void): Promise<GuestVm> {
    const { limits } = start;
    // A real byte cap: QuickJS's own memory limit counts allocations, not bytes (findings §2).
    const wasmMemory = new WebAssembly.Memory({
      initial: 256,
      maximum: Math.max(256, Math.floor(limits.memoryMb * 16)),
    });
    const QuickJS = await newQuickJSWASMModuleFromVariant(
      newVariant(RELEASE_SYNC, { wasmModule: start.wasm ?? compiledQuickJs(), wasmMemory }),
    );
    const rt = QuickJS.newRuntime();
    rt.setMaxStackSize(limits.maxStackBytes);
    rt.setMemoryLimit(-1);
    return new GuestVm(rt, new Int32Array(start.watch), limits.sliceMs, onStop);
  }

  /** Runs guest code with the per-entry CPU deadline, stamping the watch buffer for the parent. */
  enter<T>(f: () => T): T {
    this.deadline = Date.now() + this.sliceMs;
    Atomics.store(this.watch, WATCH.inVm, 1);
    try {
      return f();
    } finally {
      this.deadline = Infinity;
      Atomics.store(this.watch, WATCH.inVm, 0);
      Atomics.add(this.watch, WATCH.entries, 1);
    }
  }
}
