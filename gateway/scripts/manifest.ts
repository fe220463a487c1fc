/**
 * npm run -w @gerbang/gateway manifest          writes operations/manifest.json from operations/*.graphql
 * npm run -w @gerbang/gateway manifest -- --check   exits non-zero when the manifest is out of date
 *
 * The manifest is the safelist of persisted operations (Apollo's persisted-query-manifest format);
 * ids are the sha256 of each operation's normalised text, so they change only when the operation does.
 * It holds the clients' contract operations (operations/*.graphql: the mobile app's) and the
 * portal's (web/src/gql/persisted-documents.json, written by `npm run -w @gerbang/web codegen`
 * from web/src/operations, with the same ids).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest } from '../src/edge/persisted';

const dir = join(import.meta.dirname, '..', 'operations');
const portalDocuments = join(import.meta.dirname, '..', '..', 'web', 'src', 'gql', 'persisted-documents.json');
export const manifestText = () =>
  `${JSON.stringify(
    buildManifest([
      ...readdirSync(dir)
        .filter((f) => f.endsWith('.graphql'))
        .sort()
        .map((f) => readFileSync(join(dir, f), 'utf8')),
      ...(existsSync(portalDocuments) ? Object.values(JSON.parse(readFileSync(portalDocuments, 'utf8')) as Record<string, string>) : []),
    ]),
    null,
    2,
  )}\n`;

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const path = join(dir, 'manifest.json');
  const text = manifestText();
  const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.error('gateway/operations/manifest.json is out of date: run `npm run -w @gerbang/gateway manifest`.');
      process.exit(1);
    }
    console.log('gateway/operations/manifest.json is up to date.');
  } else if (current !== text) {
    writeFileSync(path, text);
    console.log(`wrote gateway/operations/manifest.json`);
  }
}
