export const meta = {
  name: 'thousand',
  description: '1000 trivial agents: a parallel fan-out of 600, then 200 items through a two-stage pipeline',
  phases: [{ title: 'Fan out' }, { title: 'Pipeline' }],
}

phase('Fan out')
const fan = await parallel(Array.from({ length: 600 }, (_, i) => () => agent(`fan ${i}: reply with ok`, { label: `fan:${i}` })))

phase('Pipeline')
const piped = await pipeline(
  Array.from({ length: 200 }, (_, i) => i),
  (i) => agent(`draft ${i}: reply with ok`, { label: `draft:${i}` }),
  (draft, i) => agent(`check ${i}: reply with ok`, { label: `check:${i}` }),
)

return { fan: fan.filter(Boolean).length, piped: piped.filter(Boolean).length }
