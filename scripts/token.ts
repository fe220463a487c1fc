/**
 * npm run -s token -- <login>   prints a bearer token of the development identity provider for a
 * demo login (warga.siti, warga.budi, petugas.dukcapil, hr.bkpsdm, analis, admin).
 * It signs with the key the gateway's dev IdP uses (DATA_DIR/dev-idp/key.json).
 */
import { resolve } from 'node:path';
import { DEMO_LOGINS, DEV_AUDIENCE, DEV_ISSUER, loadDevIdp } from '../gateway/src/dev-idp';

const login = process.argv[2];
if (!login || !DEMO_LOGINS[login]) {
  console.error(`usage: npm run -s token -- <login>\nlogins: ${Object.keys(DEMO_LOGINS).join(', ')}`);
  process.exit(2);
}
if (process.env.NODE_ENV === 'production') {
  console.error('The development identity provider is not available in production.');
  process.exit(1);
}
const idp = await loadDevIdp({
  dataDir: resolve(import.meta.dirname, '..', process.env.DATA_DIR ?? '.data'),
  issuer: process.env.JWT_ISSUER ?? DEV_ISSUER,
  audience: process.env.JWT_AUDIENCE ?? DEV_AUDIENCE,
});
console.log(await idp.issue(login));
