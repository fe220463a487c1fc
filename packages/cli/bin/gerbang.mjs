#!/usr/bin/env node
// The CLI runs from its TypeScript sources, as every process of the workspace does (tsx).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
