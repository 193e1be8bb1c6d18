export const meta = {
  name: 'diag',
  description: 'Edited by the diagnostics test',
  phases: [],
}

const answer = await agent('Say hi')
return answer
