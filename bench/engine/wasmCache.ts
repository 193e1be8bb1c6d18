// What-if used at the very end of the bench: keep one compiled QuickJS WebAssembly.Module alive in
// the parent. V8 shares compiled wasm code per process by module bytes, so every later sandbox
// worker's `new WebAssembly.Module(bytes)` gets the already compiled — and already tiered-up —
// code instead of compiling a fresh Liftoff (baseline) copy that is cold for the whole short run.
// The engine itself does not do this today; the same effect would come from compiling the module
// once in SandboxHost and posting it to each worker in the start message.
import * as fs from 'node:fs';

let kept: WebAssembly.Module | undefined;

export function keepWasmModuleAlive(): void {
  kept ??= new WebAssembly.Module(fs.readFileSync(require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm')));
}
