export { startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from './server';
export { binaries, type Binaries } from './binaries';
export { EmbeddedPostgresError } from './errors';
