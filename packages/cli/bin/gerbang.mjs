#!/usr/bin/env node
// The CLI compiled to dist/gerbang.mjs (scripts/build-cli.ts, at `npm ci` and `npm run build`).
// When it is missing or any of its sources is newer (an edited checkout, an install with
// --ignore-scripts), the TypeScript sources run through tsx instead, about ten times slower.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../../../', import.meta.url);
const dist = new URL('../dist/gerbang.mjs', import.meta.url);

function compiledIsCurrent() {
  try {
    const built = statSync(dist).mtimeMs;
    const inputs = JSON.parse(readFileSync(new URL('../dist/inputs.json', import.meta.url), 'utf8'));
    return inputs.every((p) => statSync(new URL(p, root)).mtimeMs <= built);
  } catch {
    return false;
  }
}

let main;
if (compiledIsCurrent()) ({ main } = await import(dist.href));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
