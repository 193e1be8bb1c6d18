export const meta = {
  name: 'estimate-me',
  description: 'A step, a fan-out over args and a loop',
  phases: [{ title: 'Plan' }, { title: 'Work' }],
}

phase('Plan')
const plan = await agent('Plan the work', { label: 'plan' })
phase('Work')
const work = await parallel((args ?? []).map((f) => () => agent(`Work on ${f}`, { label: `work:${f}` })))
let round = 0
while (round < 2) {
  await agent(`Check round ${round}`, { label: `check:${round}` })
  round++
}
return { plan, work }
