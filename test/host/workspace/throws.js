export const meta = {
  name: 'throws',
  description: 'Fails after its agent: a runtime error to jump to',
  phases: [],
}

function headline(answer) {
  return answer.length
}

const title = (await agent('Say hi')).details.title
return headline(title)
