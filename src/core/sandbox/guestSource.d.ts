// A guest prelude (guest/*.guest.js) imports as its source text: esbuild loads it as text
// (esbuild.mjs), and it runs inside QuickJS, never in Node.
declare module '*.guest.js' {
  const source: string;
  export default source;
}
