// An ordinary module: its first statement is not `export const meta`, so it is no workflow script.
const helper = (x) => x + 1
export const meta = { name: 'not-first', description: 'meta that comes too late' }
export default helper
