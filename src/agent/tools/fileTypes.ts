// Grep's `type` filter: ripgrep's names for the common languages, as file extensions.
export const FILE_TYPES: Record<string, string[]> = {
  js: ['js', 'mjs', 'cjs', 'jsx'],
  ts: ['ts', 'tsx', 'mts', 'cts'],
  py: ['py', 'pyi'],
  rust: ['rs'],
  go: ['go'],
  java: ['java'],
  kotlin: ['kt', 'kts'],
  scala: ['scala', 'sc'],
  c: ['c', 'h'],
  cpp: ['cpp', 'cc', 'cxx', 'c++', 'hpp', 'hh', 'hxx', 'h', 'inl'],
  cs: ['cs'],
  swift: ['swift'],
  ruby: ['rb', 'gemspec'],
  php: ['php'],
  sh: ['sh', 'bash', 'zsh'],
  lua: ['lua'],
  sql: ['sql'],
  html: ['html', 'htm'],
  css: ['css'],
  scss: ['scss'],
  vue: ['vue'],
  svelte: ['svelte'],
  json: ['json', 'jsonc', 'json5'],
  yaml: ['yaml', 'yml'],
  toml: ['toml'],
  xml: ['xml', 'xsd', 'xsl'],
  md: ['md', 'markdown', 'mdx'],
  markdown: ['md', 'markdown', 'mdx'],
  txt: ['txt'],
};

export function extensionMatcher(type: string): ((file: string) => boolean) | undefined {
  const exts = FILE_TYPES[type];
  if (!exts) return undefined;
  const set = new Set(exts);
  return (file) => {
    const dot = file.lastIndexOf('.');
    return dot > file.lastIndexOf('/') && set.has(file.slice(dot + 1).toLowerCase());
  };
}
