// unbash declares its types only under package.json "exports", which the project's
// moduleResolution ("node") ignores; point the bare specifier at the same declarations.
// At run time Node ≥ 20.19 require()s the ESM package and the bundler inlines it.
declare module 'unbash' {
  export * from 'unbash/dist/parser';
}
