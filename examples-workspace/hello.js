export const meta = {
  name: 'hello',
  description: 'One agent says hello: the smallest workflow',
}

const greeting = await agent('Say hello in five languages, one per line, nothing else.', { label: 'hello', model: 'haiku' })
log(greeting)
return greeting
