export const meta = {
  name: 'broken',
  description: 'TypeScript syntax, which workflow scripts refuse',
  phases: [],
}

const n: number = 1
return n
