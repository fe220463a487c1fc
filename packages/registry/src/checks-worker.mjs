// The composition worker from the TypeScript sources: tsx compiles them inside the thread, as it
// does in the process that started it. (`npm run build` compiles checks-worker.ts to dist/registry-worker.js.)
import { register } from 'tsx/esm/api';

register();
await import('./checks-worker.ts');
