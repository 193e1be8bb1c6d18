export const meta = {
  name: 'sites',
  description: 'One agent, a parallel and a pipeline, each on its own line',
  phases: [],
}
const first = await agent('Site one', { label: 'one' })
const fan = await parallel(['a', 'b', 'c'].map((x) => () => agent(`Site fan ${x}`, { label: `fan:${x}` })))
const piped = await pipeline(['p', 'q'], (x) => agent(`Site pipe ${x}`, { label: `pipe:${x}` }))
return { first, fan, piped }
