import type { Logger } from '../logger';
import { MemoryEventBus } from './memory';
import { NatsEventBus } from './nats';
import { PostgresEventBus } from './postgres';
import { RedisEventBus } from './redis';
import type { EventBus, Transport } from './types';

export * from './types';
export { MemoryEventBus, NatsEventBus, PostgresEventBus, RedisEventBus };

export interface EventBusSettings {
  /** EVENT_BUS: which transport; unset → NATS when NATS_URL is set, else Redis when REDIS_URL is, else PostgreSQL. */
  transport?: Transport;
  natsUrl?: string;
  redisUrl?: string;
  /** The database every publisher and subscriber shares (DATABASE_URL, or the embedded server's). */
  databaseUrl?: string;
  /** EVENT_BUS_NAMESPACE (default `gerbang`): channels, keys and the stream are named with it. */
  namespace?: string;
  logger?: Logger;
}

/** Reads EVENT_BUS, EVENT_BUS_NAMESPACE, NATS_URL, REDIS_URL (the database URL is the caller's: it may be an embedded server's). */
export function eventBusSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<EventBusSettings, 'databaseUrl' | 'logger'> {
  const transport = env.EVENT_BUS?.trim();
  if (transport && !['postgres', 'redis', 'nats'].includes(transport)) throw new Error(`EVENT_BUS must be postgres, redis or nats (got "${transport.slice(0, 40)}")`);
  return {
    ...(transport ? { transport: transport as Transport } : {}),
    ...(env.NATS_URL ? { natsUrl: env.NATS_URL } : {}),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    ...(env.EVENT_BUS_NAMESPACE ? { namespace: env.EVENT_BUS_NAMESPACE } : {}),
  };
}

/** The transport the settings choose, with the reason a required URL is missing. */
export function createEventBus(settings: EventBusSettings): EventBus {
  const transport = settings.transport ?? (settings.natsUrl ? 'nats' : settings.redisUrl ? 'redis' : 'postgres');
  const common = { ...(settings.namespace ? { namespace: settings.namespace } : {}), ...(settings.logger ? { logger: settings.logger } : {}) };
  switch (transport) {
    case 'nats':
      if (!settings.natsUrl) throw new Error('EVENT_BUS=nats needs NATS_URL');
      return new NatsEventBus({ url: settings.natsUrl, ...common });
    case 'redis':
      if (!settings.redisUrl) throw new Error('EVENT_BUS=redis needs REDIS_URL');
      return new RedisEventBus({ url: settings.redisUrl, ...common });
    case 'postgres':
      if (!settings.databaseUrl) throw new Error('the PostgreSQL event bus needs a database URL');
      return new PostgresEventBus({ url: settings.databaseUrl, ...common });
    case 'memory':
      return new MemoryEventBus();
  }
}
