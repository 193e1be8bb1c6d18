// Workflow bodies shared by the engine and the vm baseline (no meta header: rig.ts adds one).
// Each returns how many results were non-null, so a run can be checked cheaply.

export const emptyBody = `return 0`;

export function parallelBody(n: number): string {
  return `const r = await parallel(Array.from({ length: ${n} }, (_, i) => () => agent('p' + i)))
return r.filter((x) => x !== null).length`;
}

/** n items × 3 stages of agent(); prompts 'a<i>', 'b<i>', 'c<i>' (the scheduling bench keys latencies on them). */
export function pipelineBody(n: number): string {
  return `const r = await pipeline(Array.from({ length: ${n} }, (_, i) => i),
  (x, item, i) => agent('a' + i),
  (v, item, i) => agent('b' + i),
  (v, item, i) => agent('c' + i))
return r.filter((x) => x !== null).length`;
}
