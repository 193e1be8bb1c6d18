export const meta = {
  name: 'steer',
  description: 'Two agents a person steers from the Runs view: skipped or retried',
  phases: [],
}

return await parallel([() => agent('Steer one', { label: 'steer:one' }), () => agent('Steer two', { label: 'steer:two' })])
