import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * One stdout destination per process, shared by every logger in it, written asynchronously:
 * lines logged while a write is in flight go out together in the next one (one system call per
 * batch instead of one per line, which cost the gateway ~5 % of its CPU under load), a quiet
 * process still writes each line at once, and what is buffered is flushed synchronously on exit
 * (pino registers that for asynchronous destinations). Shared, so that batches of several
 * loggers (the subgraph host runs eight) never interleave mid-line.
 */
let stdout: DestinationStream | undefined;

/**
 * Structured JSON logs, one format for every process (gateway, subgraphs, simulators): the level as
 * its label (`"level":"warn"`, not pino's `40`), so people and log shippers read every line alike.
 * LOG_LEVEL picks the level (default info, silent in tests). Routine periodic events (a batch
 * written, a feed applied) are logged at debug, so the default level shows start-up, warnings,
 * errors and the per-request lines only.
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'), destination?: DestinationStream): Logger {
  if (!destination) stdout ??= pino.destination({ dest: 1, sync: false });
  return pino(
    {
      name,
      level,
      base: { service: name },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['req.headers.authorization', '*.nik', 'nik', '*.token'], censor: '[redacted]' },
    },
    destination ?? stdout!,
  );
}

/** The logger interface Apollo Server and @apollo/gateway accept. */
export interface ApolloLogger {
  debug(message?: unknown): void;
  info(message?: unknown): void;
  warn(message?: unknown): void;
  error(message?: unknown): void;
}

/**
 * Apollo's own messages through our logger, in our format. Its info lines ("Gateway successfully
 * loaded schema", "Updated Supergraph SDL was found") repeat what our start-up and reload lines
 * say, so they go to debug; its warnings and errors stay what they are.
 */
export function apolloLogger(logger: Logger): ApolloLogger {
  const text = (message: unknown) => (typeof message === 'string' ? message : String(message));
  return {
    debug: (message) => logger.debug({ from: 'apollo' }, text(message)),
    info: (message) => logger.debug({ from: 'apollo' }, text(message)),
    warn: (message) => logger.warn({ from: 'apollo' }, text(message)),
    error: (message) => logger.error({ from: 'apollo' }, text(message)),
  };
}
