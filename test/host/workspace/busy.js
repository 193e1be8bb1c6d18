export const meta = {
  name: 'busy',
  description: 'One agent, then a synchronous loop that never awaits',
}

await agent('Busy first', { label: 'first' })
let n = 0
for (;;) n++
