// For the onboarding host tests: a workflow script that never reads args, in a folder no test opens.
export const meta = {
  name: 'no-args-here',
  description: 'One agent, no args',
}

return await agent('Say hello from onboarding', { label: 'hello' })
