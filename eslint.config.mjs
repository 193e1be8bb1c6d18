// Lint rules that encode the project's layers (ARCHITECTURE.md): core knows no host, agent uses only core's
// types, the two hosts (cli, vscode) never import each other. `npm test` runs this before the suites.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, patterns, extra = {}) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: extra.paths ?? [], patterns }] },
});
const noVscode = { name: 'vscode', message: 'Only src/vscode and src/extension.ts may import vscode.' };
const group = (glob, message, allowTypeImports = false) => ({ group: [glob], message, allowTypeImports });
// Hosts use the engine through its front door (src/core/index.ts); registry and script are front doors of
// their own because the lazily loaded agent layer needs them without the rest of the engine.
const coreFrontDoor = {
  group: ['**/core/*', '**/core/*/**', '!**/core/registry', '!**/core/script'],
  message: "Import the engine from its front door ('../core'), not a deep module; add the name to src/core/index.ts.",
};

// Command modules (…Command.ts, …Commands.ts) hold handlers; only the command table (src/vscode/commandTable.ts)
// imports them. Behaviour two commands share goes into a service module both import.
const commandModules = {
  group: ['**/*Command', '**/*Commands'],
  message: 'Only src/vscode/commandTable.ts imports command modules; move what is shared into a service.',
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test/host/workspace/**',
      'bench/host/workspace/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      eqeqeq: ['error', 'smart'],
      // `import x = require()` is TypeScript's typed form; a bare require() needs a reason (lazy loading) and a disable comment.
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Terminal and transcript safety strips control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  layer(
    ['src/core/**/*.ts'],
    [
      group('**/agent/**', 'core is the bottom layer: it must not import src/agent.'),
      group('**/host/**', 'core must not import the runner assembly (src/host).'),
      group('**/cli/**', 'core must not import a host (src/cli).'),
      group('**/vscode/**', 'core must not import a host (src/vscode).'),
    ],
    { paths: [noVscode] },
  ),
  layer(
    ['src/agent/**/*.ts'],
    [
      group(
        '**/core/**',
        'agent imports only types from core (use `import type`); runtime pieces belong behind a port.',
        true,
      ),
      group('**/host/**', 'agent must not import the runner assembly (src/host) above it.'),
      group('**/cli/**', 'agent must not import a host (src/cli).'),
      group('**/vscode/**', 'agent must not import a host (src/vscode).'),
    ],
    { paths: [noVscode] },
  ),
  layer(
    ['src/host/**/*.ts'],
    [
      group('**/cli/**', 'src/host assembles the runner for both hosts: it must not import one (src/cli).'),
      group('**/vscode/**', 'src/host assembles the runner for both hosts: it must not import one (src/vscode).'),
      coreFrontDoor,
    ],
    { paths: [noVscode] },
  ),
  layer(
    ['src/shared/**/*.ts'],
    [group('../**', 'src/shared is the bottom: dependency-free pieces every layer may use.')],
    { paths: [noVscode] },
  ),
  layer(['src/cli/**/*.ts'], [group('**/vscode/**', 'The CLI must not import the VS Code host.'), coreFrontDoor], {
    paths: [noVscode],
  }),
  layer(
    ['src/vscode/**/*.ts', 'src/extension.ts'],
    [group('**/cli/**', 'The VS Code host must not import the CLI.'), coreFrontDoor, commandModules],
  ),
  // The command table is the one place that puts the command modules together.
  layer(
    ['src/vscode/commandTable.ts'],
    [group('**/cli/**', 'The VS Code host must not import the CLI.'), coreFrontDoor],
  ),
  // The TypeScript server plugin runs inside tsserver: no vscode, no host, no engine runtime.
  layer(
    ['src/tsPlugin/**/*.ts'],
    [
      group('**/core/**', 'the TypeScript plugin runs in tsserver: it must not load the engine (src/core).', true),
      group('**/host/**', 'the TypeScript plugin must not import the runner assembly (src/host).'),
      group('**/cli/**', 'the TypeScript plugin must not import a host (src/cli).'),
      group('**/vscode/**', 'the TypeScript plugin must not import a host (src/vscode).'),
    ],
    { paths: [noVscode] },
  ),
);
