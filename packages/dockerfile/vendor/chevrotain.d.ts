// Types of vendor/chevrotain.js, the chevrotain bundle that `pnpm build` writes
// beside this file: the bundle's entry is `export * from 'chevrotain'`, so its
// types are those of the chevrotain package that it was bundled from.
export * from 'chevrotain';
