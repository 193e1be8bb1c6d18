export const meta = {
  name: 'resume-me',
  description: 'Two quick agents, then one the model holds until the run is stopped',
  phases: [],
}

const quick = await parallel([() => agent('Quick one', { label: 'quick:1' }), () => agent('Quick two', { label: 'quick:2' })])
const slow = await agent('Slow three', { label: 'slow' })
return [...quick, slow]
