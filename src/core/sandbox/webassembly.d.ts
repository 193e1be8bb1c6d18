// The few WebAssembly globals the worker uses (lib ES2022 and @types/node 20 do not declare them).
declare namespace WebAssembly {
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
  }
  class Module {
    constructor(bytes: Uint8Array);
  }
}
