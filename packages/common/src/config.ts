import { z } from 'zod';

/**
 * Configuration is read from the environment once, validated, and handed around typed.
 * No secret has a default in production; in development some have a clearly-named dev value.
 */
export const isProduction = (env: NodeJS.ProcessEnv = process.env) => env.NODE_ENV === 'production';

export function parseConfig<T extends z.ZodTypeAny>(schema: T, env: NodeJS.ProcessEnv = process.env, name = 'configuration'): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid ${name}:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** A secret: required in production, where development defaults (prefixed "dev-") are refused. */
export function secret(devDefault: string, env: NodeJS.ProcessEnv = process.env) {
  const prod = isProduction(env);
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) {
        if (prod) {
          ctx.addIssue({ code: 'custom', message: 'is required in production' });
          return z.NEVER;
        }
        return devDefault;
      }
      if (prod && v.startsWith('dev-')) {
        ctx.addIssue({ code: 'custom', message: 'is a development default; set a real secret in production' });
        return z.NEVER;
      }
      // Development values may be short and readable; real secrets must not be guessable.
      if (prod && v.length < 16) {
        ctx.addIssue({ code: 'custom', message: 'must be at least 16 characters' });
        return z.NEVER;
      }
      return v;
    });
}

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** The secret the gateway signs subgraph calls with (comma-separated: current first, then older). */
export const INTERNAL_SECRET_DEV = 'dev-internal-signing-secret-change-me';
