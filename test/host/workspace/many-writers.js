export const meta = {
  name: 'many-writers',
  description: 'Agents that each create a new file at the same moment (their tool calls come from the test)',
  phases: [],
}

return await parallel(Array.from({ length: 24 }, (_, i) => () => agent(`create file ${i}`, { label: `writer ${i}` })))
