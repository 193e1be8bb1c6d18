export const meta = {
  description: 'meta without a name',
}

return await agent('never runs')
