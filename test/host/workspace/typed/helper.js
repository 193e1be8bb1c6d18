// Not a workflow script: the workflow globals are unknown here (typed.test.ts).
export async function ask() {
  return agent('hi')
}
