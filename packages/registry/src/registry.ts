import type pg from 'pg';
import type { CheckReport, UsageOperation } from './checks';
import { workerRunner, type ChecksRunner } from './runner';
import { sha256, type RegistryStore, type SubgraphVersion, type SupergraphVersion } from './store';
import { verifyRoutingUrl } from './routing-url';
import { VerificationError } from './verify';

/** Who is asking, from a verified token (the gateway's identity). */
export interface Actor {
  sub: string;
  roles: string[];
  /** A publisher's subgraph (the token's `subgraph` claim). */
  subgraph?: string;
}

export type RegistryErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'SCHEMA_CHECK_FAILED' | 'SUBGRAPH_UNVERIFIED';

const STATUS: Record<RegistryErrorCode, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400, NOT_FOUND: 404, SCHEMA_CHECK_FAILED: 409, SUBGRAPH_UNVERIFIED: 422 };

export class RegistryError extends Error {
  readonly status: number;
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const SUBGRAPH_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const MAX_SDL = 1_000_000;

export interface PublishInput {
  name: string;
  sdl: string;
  /** Required: undefined only when an HTTP body leaves it out, which `publish` refuses. */
  routingUrl: string | undefined;
  commit?: string;
  force?: boolean;
  reason?: string;
}

export type PublishResult =
  { status: 'published' | 'forced'; subgraphVersion: number; supergraphVersion: number; report: CheckReport } | { status: 'unchanged'; subgraphVersion: number; supergraphVersion: number };

export interface RegistryOptions {
  /** The hub's signing secret: the registry asks subgraphs for their SDL as the gateway calls them. */
  internalSecret: string;
  /** Safelisted (persisted) operations, with the clients allowed to send them. */
  safelist?: () => UsageOperation[];
  /** How far back served operations count (REGISTRY_USAGE_DAYS). */
  usageDays?: number;
  personalFields?: string[];
  /** Verify routing URLs before a publish (default true; seeding the local stack does not). */
  verifyTimeoutMs?: number;
  /** Where composition and the checks run (default: a worker thread, off the gateway's event loop). */
  checks?: ChecksRunner;
}

const isAdmin = (a: Actor) => a.roles.includes('admin');

/**
 * The registry: checks, publishes and rolls back, one at a time across every replica (a
 * PostgreSQL advisory lock), each step written to the append-only log.
 */
export class Registry {
  private readonly checks: ChecksRunner;

  constructor(
    readonly store: RegistryStore,
    private readonly options: RegistryOptions,
  ) {
    this.checks = options.checks ?? workerRunner();
  }

  /** Starts the composition worker now rather than at the first check (a gateway, at start). */
  warm(): void {
    this.checks.warm();
  }

  /** Stops the composition worker (the store is the caller's). */
  async close(): Promise<void> {
    await this.checks.close();
  }

  get usageDays(): number {
    return this.options.usageDays ?? 30;
  }

  private authorize(actor: Actor | undefined, name: string, what: 'check' | 'publish'): Actor {
    if (!actor) throw new RegistryError('UNAUTHENTICATED', 'The registry needs a token: an agency publisher token for your subgraph, or an admin token.');
    if (isAdmin(actor)) return actor;
    if (!actor.roles.includes('publisher')) throw new RegistryError('FORBIDDEN', `Only a publisher or an admin may ${what} subgraphs.`);
    if (actor.subgraph !== name) {
      throw new RegistryError('FORBIDDEN', `This token publishes subgraph "${actor.subgraph ?? '(none)'}" only, not "${name}".`, { subgraph: name });
    }
    return actor;
  }

  private validate(input: { name: string; sdl: string; routingUrl?: string }): void {
    if (typeof input.name !== 'string' || !SUBGRAPH_NAME.test(input.name))
      throw new RegistryError('BAD_USER_INPUT', 'The subgraph name is 1-40 of a-z, 0-9 and -, starting with a letter.', { field: 'name' });
    if (typeof input.sdl !== 'string' || !input.sdl.trim()) throw new RegistryError('BAD_USER_INPUT', 'The schema (SDL) is empty.', { field: 'sdl' });
    if (input.sdl.length > MAX_SDL) throw new RegistryError('BAD_USER_INPUT', `The schema is over ${MAX_SDL} characters.`, { field: 'sdl' });
    if (input.routingUrl !== undefined) {
      let url: URL | undefined;
      try {
        url = new URL(input.routingUrl);
      } catch {
        /* below */
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new RegistryError('BAD_USER_INPUT', 'The routing URL must be an http(s) URL.', { field: 'routingUrl' });
    }
  }

  /** Safelisted operations and those served in the last `usageDays`, one per document with its clients. */
  async operations(): Promise<UsageOperation[]> {
    const out = new Map<string, UsageOperation>();
    for (const op of this.options.safelist?.() ?? []) out.set(`safelist:${op.hash}`, op);
    for (const s of await this.store.servedSince(this.usageDays)) {
      const key = `served:${s.hash}`;
      const op = out.get(key);
      if (op) {
        if (!op.clients.includes(s.client)) op.clients.push(s.client);
        op.count = (op.count ?? 0) + s.count;
        if (!op.lastSeen || s.lastSeen.toISOString() > op.lastSeen) op.lastSeen = s.lastSeen.toISOString();
      } else {
        out.set(key, { source: 'served', name: s.operationName, hash: s.hash, document: s.document, clients: [s.client], count: s.count, lastSeen: s.lastSeen.toISOString() });
      }
    }
    return [...out.values()];
  }

  private async checkAgainstCurrent(c: pg.PoolClient | pg.Pool, candidate: { name: string; sdl: string; routingUrl: string }) {
    const [current, supergraph, operations] = await Promise.all([this.store.currentSubgraphs(c), this.store.currentSupergraph(c), this.operations()]);
    const result = await this.checks.runChecks({
      current: current.map((s) => ({ name: s.name, routingUrl: s.routingUrl, sdl: s.sdl })),
      ...(supergraph ? { currentSupergraphSdl: supergraph.sdl } : {}),
      candidate,
      operations,
      usageDays: this.usageDays,
      ...(this.options.personalFields ? { personalFields: this.options.personalFields } : {}),
    });
    return { ...result, current, supergraph };
  }

  /** Every check, changing nothing. */
  async check(actor: Actor | undefined, input: { name: string; sdl: string; routingUrl?: string }): Promise<CheckReport> {
    this.validate(input);
    this.authorize(actor, input.name, 'check');
    const current = (await this.store.currentSubgraphs()).find((s) => s.name === input.name);
    const routingUrl = input.routingUrl ?? current?.routingUrl ?? `http://${input.name}.invalid/graphql`;
    return (await this.checkAgainstCurrent(this.store.pool, { name: input.name, sdl: input.sdl, routingUrl })).report;
  }

  /**
   * Checks, verifies the routing URL, and publishes: a new subgraph version and a new supergraph
   * version, which every gateway listening loads. Refusals are logged with their report.
   */
  async publish(actor: Actor | undefined, input: PublishInput): Promise<PublishResult> {
    this.validate(input);
    const who = this.authorize(actor, input.name, 'publish');
    const routingUrl = input.routingUrl;
    if (routingUrl === undefined) throw new RegistryError('BAD_USER_INPUT', 'A publish needs the routing URL the gateways will call.', { field: 'routingUrl' });
    if (input.force && !isAdmin(who)) throw new RegistryError('FORBIDDEN', 'Only an admin may force a publish.');
    if (input.force && !input.reason?.trim()) throw new RegistryError('BAD_USER_INPUT', 'A forced publish needs a reason.', { field: 'reason' });
    const candidate = { name: input.name, sdl: input.sdl, routingUrl };

    try {
      await verifyRoutingUrl(routingUrl, input.name, input.sdl, this.options.internalSecret, this.options.verifyTimeoutMs);
    } catch (err) {
      if (!(err instanceof VerificationError)) throw err;
      await this.store.log(this.store.pool, { action: 'refuse', subgraph: input.name, actor: who.sub, reason: `routing URL ${err.reason}: ${err.message}` });
      throw new RegistryError('SUBGRAPH_UNVERIFIED', err.message, { reason: err.reason, routingUrl });
    }

    const outcome = await this.store.exclusive(async (c) => {
      const { report, supergraphSdl, current, supergraph } = await this.checkAgainstCurrent(c, candidate);
      const previous = current.find((s) => s.name === input.name);
      if (previous && supergraph && previous.routingUrl === routingUrl && sha256(previous.sdl) === sha256(input.sdl)) {
        return { status: 'unchanged' as const, subgraphVersion: previous.id, supergraphVersion: supergraph.id };
      }
      if (!supergraphSdl || (!report.ok && !input.force)) {
        const why = !supergraphSdl ? 'composition failed' : describeFailure(report);
        await this.store.log(c, { action: 'refuse', subgraph: input.name, actor: who.sub, reason: why, report });
        return { status: 'refused' as const, report, why };
      }
      const version = await this.store.insertSubgraph(c, { name: input.name, routingUrl, sdl: input.sdl, publisher: who.sub, commit: input.commit });
      const subgraphs = Object.fromEntries([...current.filter((s) => s.name !== input.name).map((s) => [s.name, s.id] as const), [input.name, version.id] as const]);
      const sg = await this.store.insertSupergraph(c, { sdl: supergraphSdl, subgraphs, createdBy: who.sub });
      const forced = !report.ok;
      await this.store.log(c, {
        action: forced ? 'force' : 'publish',
        subgraph: input.name,
        actor: who.sub,
        reason: forced ? `${input.reason!.trim()} (overriding: ${describeFailure(report)})` : input.reason?.trim() || undefined,
        supergraphVersion: sg.id,
        report,
      });
      return { status: forced ? ('forced' as const) : ('published' as const), subgraphVersion: version.id, supergraphVersion: sg.id, report };
    });
    if (outcome.status === 'refused') throw new RegistryError('SCHEMA_CHECK_FAILED', `Publish of "${input.name}" refused: ${outcome.why}.`, { report: outcome.report });
    return outcome;
  }

  /** Restores an earlier supergraph version as a new version (admins only, with a reason). */
  async rollback(actor: Actor | undefined, input: { version: number; reason?: string }): Promise<SupergraphVersion> {
    if (!actor) throw new RegistryError('UNAUTHENTICATED', 'A rollback needs an admin token.');
    if (!isAdmin(actor)) throw new RegistryError('FORBIDDEN', 'Only an admin may roll back.');
    if (!Number.isSafeInteger(input.version) || input.version < 1) throw new RegistryError('BAD_USER_INPUT', 'The version to restore is a positive integer.', { field: 'version' });
    if (!input.reason?.trim()) throw new RegistryError('BAD_USER_INPUT', 'A rollback needs a reason.', { field: 'reason' });
    return this.store.exclusive(async (c) => {
      const target = await this.store.supergraph(input.version, c);
      if (!target) throw new RegistryError('NOT_FOUND', `No supergraph version ${input.version}.`, { field: 'version' });
      const current = await this.store.currentSupergraph(c);
      if (current?.id === target.id) throw new RegistryError('BAD_USER_INPUT', `Version ${target.id} is already the current supergraph.`, { field: 'version' });
      const restored = await this.store.insertSupergraph(c, { sdl: target.sdl, subgraphs: target.subgraphs, createdBy: actor.sub, restores: target.id });
      await this.store.log(c, {
        action: 'rollback',
        actor: actor.sub,
        reason: `${input.reason!.trim()} (restores version ${target.id}, was ${current?.id ?? 'none'})`,
        supergraphVersion: restored.id,
      });
      return restored;
    });
  }

  /**
   * Brings the registry in line with subgraphs known from files (the local stack's schema/): the
   * ones whose SDL or URL differs are published together, unverified (their processes may still
   * be starting), after the checks a publish runs (composition, changes, usage, policy; in the
   * composition worker). Files that do not compose are refused; other failed checks are logged
   * with the seed and returned (the files are the developer's checkout: the local stack serves
   * them). Nothing happens when every one is current.
   */
  async seed(subgraphs: { name: string; sdl: string; routingUrl: string }[], actor = 'system:seed'): Promise<{ changed: string[]; supergraphVersion: number; report?: CheckReport }> {
    const operations = await this.operations();
    return this.store.exclusive(async (c) => {
      const current = await this.store.currentSubgraphs(c);
      const byName = new Map(current.map((s) => [s.name, s]));
      const changed = subgraphs.filter((s) => {
        const now = byName.get(s.name);
        return now?.routingUrl !== s.routingUrl || sha256(now.sdl) !== sha256(s.sdl);
      });
      const supergraph = await this.store.currentSupergraph(c);
      if (!changed.length && supergraph) return { changed: [], supergraphVersion: supergraph.id };
      if (!changed.length) throw new RegistryError('BAD_USER_INPUT', 'Nothing to seed the empty registry with.');
      const { report, supergraphSdl } = await this.checks.runChecks({
        current: current.map((s) => ({ name: s.name, routingUrl: s.routingUrl, sdl: s.sdl })),
        ...(supergraph ? { currentSupergraphSdl: supergraph.sdl } : {}),
        candidate: changed[0]!,
        alsoChanged: changed.slice(1),
        operations,
        usageDays: this.usageDays,
        ...(this.options.personalFields ? { personalFields: this.options.personalFields } : {}),
      });
      if (!supergraphSdl) throw new RegistryError('SCHEMA_CHECK_FAILED', `The local subgraphs do not compose: ${report.composition.errors.map((e) => e.message).join('; ')}`, { report });
      const ids: Record<string, number> = Object.fromEntries(current.map((s) => [s.name, s.id]));
      for (const s of changed) ids[s.name] = (await this.store.insertSubgraph(c, { name: s.name, routingUrl: s.routingUrl, sdl: s.sdl, publisher: actor })).id;
      const sg = await this.store.insertSupergraph(c, { sdl: supergraphSdl, subgraphs: ids, createdBy: actor });
      const failed = report.ok ? '' : ` (checks failed, seeded as the local checkout holds them: ${describeFailure(report)})`;
      await this.store.log(c, { action: 'seed', actor, reason: `local subgraphs ${changed.map((s) => s.name).join(', ')} from schema files${failed}`, supergraphVersion: sg.id, report });
      return { changed: changed.map((s) => s.name), supergraphVersion: sg.id, report };
    });
  }

  async list(): Promise<{ supergraphVersion: number | null; subgraphs: Omit<SubgraphVersion, 'sdl'>[] }> {
    const current = await this.store.currentSupergraph();
    const subgraphs = current ? await this.store.subgraphVersions(Object.values(current.subgraphs)) : [];
    return { supergraphVersion: current?.id ?? null, subgraphs: subgraphs.map(({ sdl: _sdl, ...rest }) => rest) };
  }
}

export function describeFailure(report: CheckReport): string {
  const parts: string[] = [];
  if (!report.composition.ok) parts.push(`${report.composition.errors.length} composition error(s)`);
  if (report.changes.breaking) parts.push(`${report.changes.breaking} breaking change(s)`);
  if (report.usage.failing.length) {
    const clients = [...new Set(report.usage.failing.flatMap((f) => f.clients))];
    parts.push(`${report.usage.failing.length} operation(s) in use would fail (clients: ${clients.join(', ') || 'unknown'})`);
  }
  if (!report.policy.ok) parts.push(`${report.policy.violations.length} policy violation(s)`);
  return parts.join(', ') || 'checks passed';
}
