export const meta = {
  name: 'hold',
  description: 'Two agents whose model never answers, until the run is stopped',
  phases: [{ title: 'Wait' }],
}

phase('Wait')
await parallel([() => agent('Hold one', { label: 'hold:1' }), () => agent('Hold two', { label: 'hold:2' })])
return 'not reached'
