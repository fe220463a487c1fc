import { z } from 'zod';
import { DEV_AUDIENCE, DEV_ISSUER } from './dev-idp';
import { INTERNAL_SECRET_DEV, isProduction, parseConfig, port, secret } from '@gerbang/common';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const gatewayEnv = z
  .object({
    NODE_ENV: z.string().default('development'),
    PORT: port(4000),
    HOST: z.string().default('127.0.0.1'),
    SUPERGRAPH_PATH: z.string().default('schema/supergraph.graphql'),
    INTERNAL_SIGNING_SECRET: secret(INTERNAL_SECRET_DEV),
    /** Token verification: issuer and audience always checked; keys from JWT_JWKS_URL or the dev IdP. */
    JWT_ISSUER: z.string().default(DEV_ISSUER),
    JWT_AUDIENCE: z.string().default(DEV_AUDIENCE),
    JWT_JWKS_URL: z.string().url().optional(),
    DEV_IDP: bool.optional(),
    DATA_DIR: z.string().default('.data'),
    SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_000_000),
  })
  .transform((c, ctx) => {
    const production = isProduction({ NODE_ENV: c.NODE_ENV });
    const devIdp = c.DEV_IDP ?? !production;
    if (production && devIdp) {
      ctx.addIssue({ code: 'custom', path: ['DEV_IDP'], message: 'the development identity provider must not run in production' });
    }
    if (!devIdp && !c.JWT_JWKS_URL) {
      ctx.addIssue({ code: 'custom', path: ['JWT_JWKS_URL'], message: 'is required when the development identity provider is off' });
    }
    return { ...c, production, devIdp };
  });

export type GatewayConfig = z.infer<typeof gatewayEnv>;

/** Per-subgraph URL overrides: SUBGRAPH_<NAME>_URL (e.g. SUBGRAPH_DIRECTORY_URL). */
export function subgraphUrlOverrides(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    const m = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(k);
    if (m && v) out[m[1]!.toLowerCase().replace(/_/g, '-')] = v;
  }
  return out;
}

export const readGatewayConfig = (env: NodeJS.ProcessEnv = process.env) => parseConfig(gatewayEnv, env, 'gateway configuration');
