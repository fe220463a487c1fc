/**
 * npm run -s token -- <login>   prints a bearer token of the development identity provider for a
 * demo login (warga.siti, warga.budi, petugas.dukcapil, petugas.dpmptsp, petugas.bpkpd, hr.bkpsdm,
 * analis, admin).
 *
 * It asks the running gateway (PORT and HOST as given to `npm start`, default 127.0.0.1:4000), so
 * the token is valid whatever DATA_DIR that gateway was started with. With no gateway running it
 * signs with the key in DATA_DIR/dev-idp/key.json, the key the gateway will use.
 */
import { resolve } from 'node:path';
import { DEMO_LOGINS, DEV_AUDIENCE, DEV_ISSUER, demoLogin, loadDevIdp } from '../gateway/src/dev-idp';

const login = process.argv[2];
if (!login || !demoLogin(login)) {
  console.error(`usage: npm run -s token -- <login>\nlogins: ${Object.keys(DEMO_LOGINS).join(', ')}, publisher:<subgraph> (the schema registry)`);
  process.exit(2);
}
if (process.env.NODE_ENV === 'production') {
  console.error('The development identity provider is not available in production.');
  process.exit(1);
}

const host = !process.env.HOST || process.env.HOST === '0.0.0.0' || process.env.HOST === '::' ? '127.0.0.1' : process.env.HOST;
const gateway = `http://${host.includes(':') ? `[${host}]` : host}:${process.env.PORT ?? '4000'}`;
let res: Response | undefined;
try {
  res = await fetch(`${gateway}/dev/token?login=${encodeURIComponent(login)}`, { signal: AbortSignal.timeout(3_000) });
} catch {
  // No gateway there: sign with the key it will load.
}
if (res?.ok) {
  console.log(((await res.json()) as { token: string }).token);
} else if (res && res.status !== 404) {
  console.error(`The gateway at ${gateway} refused a token: HTTP ${res.status} ${await res.text()}`);
  process.exit(1);
} else {
  if (res) console.error(`note: the gateway at ${gateway} has no development IdP (HTTP 404); signing with the key in DATA_DIR instead.`);
  const idp = await loadDevIdp({
    dataDir: resolve(import.meta.dirname, '..', process.env.DATA_DIR ?? '.data'),
    issuer: process.env.JWT_ISSUER ?? DEV_ISSUER,
    audience: process.env.JWT_AUDIENCE ?? DEV_AUDIENCE,
  });
  console.log(await idp.issue(login));
}
