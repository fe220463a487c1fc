import { JAKARTA_OFFSET_MINUTES, jakartaMonth, pgArray } from '@gerbang/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { StaffMember } from '../../subgraphs/ratings/src/server';
import { benchNip } from './ids';

/**
 * The benchmark's data, bulk-loaded with SQL into the ratings schema that the real migrations
 * created (loading is not what is measured):
 * - twelve months of completed tickets and ratings (the Asia/Jakarta months ending with the
 *   current one) over twelve agencies, each with its own roster of officers;
 * - one cell, the TPP agency's previous month, with exactly `tppRatings` ratings over its
 *   `officers` officers: most have plenty, six have 1–4 (UNIT_AVERAGE), four have none;
 * - about half of the completed tickets rated (the rest are the Krejcie–Morgan population only),
 *   60 % of ratings with the nine SKM answers, ~15 % with a comment, 1.5 % FLAGGED, 0.5 % REJECTED.
 * Stars lean to 4–5 with a per-officer bias, so some officers average under 4 (factor < 1).
 */
interface AgencyPlan {
  id: string;
  no: number;
  weight: number;
  officers: string[];
}

interface Cell {
  agency: string;
  no: number;
  month: string;
  ratings: number;
  tickets: number;
  from: Date;
  to: Date;
  officerOffset: number;
  officerCount: number;
  tpp: boolean;
}

export interface DatasetPlan {
  months: string[];
  tppAgency: string;
  tppMonth: string;
  officersPerTppAgency: number;
  agencies: AgencyPlan[];
  cells: Cell[];
  totalRatings: number;
  tppRatings: number;
  ticketsPerRating: number;
}

/** Agencies of the directory with a share of the ratings and a roster size. */
const AGENCIES: { id: string; weight: number; officers: number }[] = [
  { id: 'dispendukcapil', weight: 30, officers: 300 },
  { id: 'dinkesdalduk', weight: 15, officers: 200 },
  { id: 'dpmptsp', weight: 12, officers: 120 },
  { id: 'rsud-soedomo', weight: 12, officers: 150 },
  { id: 'bpkpd', weight: 10, officers: 80 },
  { id: 'dinsos', weight: 8, officers: 90 },
  { id: 'dispendikpora', weight: 4, officers: 60 },
  { id: 'disnakertrans', weight: 3, officers: 30 },
  { id: 'bkpsdm', weight: 2, officers: 40 },
  { id: 'dishub', weight: 2, officers: 40 },
  { id: 'dpupr', weight: 1.5, officers: 30 },
  { id: 'diskominfo', weight: 0.5, officers: 20 },
];

const jakartaMonthStart = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 1) - JAKARTA_OFFSET_MINUTES * 60_000);
};
const addMonths = (month: string, k: number) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + k, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

export function planDataset(options: { totalRatings: number; tppRatings: number; officers: number; now: Date; ticketsPerRating?: number }): DatasetPlan {
  const { totalRatings, tppRatings, now } = options;
  if (options.officers < 20) throw new Error('the TPP agency needs at least 20 officers');
  if (tppRatings > totalRatings) throw new Error('tppRatings must not exceed totalRatings');
  const ticketsPerRating = options.ticketsPerRating ?? 2;
  const current = jakartaMonth(now);
  const months = Array.from({ length: 12 }, (_, i) => addMonths(current, i - 11));
  // The month before last: last month cannot be finalised during the first days of this one, while
  // its tickets may still be rated (PERIOD_NOT_CLOSED).
  const tppMonth = addMonths(current, -2);
  const tppAgency = AGENCIES[0]!.id;

  const seen = new Set<string>();
  const agencies: AgencyPlan[] = AGENCIES.map((a, no) => {
    const size = a.id === tppAgency ? options.officers : a.officers;
    const officers = Array.from({ length: size }, (_, i) => benchNip(no + 1, i));
    for (const nip of officers) {
      if (seen.has(nip)) throw new Error(`duplicate generated NIP ${nip}`);
      seen.add(nip);
    }
    return { id: a.id, no: no + 1, weight: a.weight, officers };
  });

  // The rest of the ratings over every (agency, month) cell but the TPP one, by agency weight and
  // a mild seasonality (more in the middle of the year).
  const rest = totalRatings - tppRatings;
  const shares: { agency: AgencyPlan; month: string; share: number }[] = [];
  for (const agency of agencies) {
    for (const month of months) {
      if (agency.id === tppAgency && month === tppMonth) continue;
      const m = Number(month.slice(5));
      shares.push({ agency, month, share: agency.weight * (1 + 0.25 * Math.sin(((m - 3) / 12) * 2 * Math.PI)) });
    }
  }
  const totalShare = shares.reduce((a, s) => a + s.share, 0);
  const counts = shares.map((s) => Math.floor((rest * s.share) / totalShare));
  counts[0]! += rest - counts.reduce((a, b) => a + b, 0);

  let offset = 0;
  const offsets = new Map<string, number>();
  for (const a of agencies) {
    offsets.set(a.id, offset);
    offset += a.officers.length;
  }
  const cell = (agency: AgencyPlan, month: string, ratings: number, no: number, tpp: boolean): Cell => {
    const from = jakartaMonthStart(month);
    const end = jakartaMonthStart(addMonths(month, 1));
    // The current month only up to an hour ago.
    const to = end.getTime() > now.getTime() ? new Date(now.getTime() - 3_600_000) : end;
    return {
      agency: agency.id,
      no,
      month,
      ratings,
      tickets: Math.ceil(ratings * ticketsPerRating),
      from,
      to,
      officerOffset: offsets.get(agency.id)!,
      officerCount: agency.officers.length,
      tpp,
    };
  };
  const cells = [cell(agencies[0]!, tppMonth, tppRatings, 0, true), ...shares.map((s, i) => cell(s.agency, s.month, counts[i]!, i + 1, false))];
  return { months, tppAgency, tppMonth, officersPerTppAgency: options.officers, agencies, cells, totalRatings, tppRatings, ticketsPerRating };
}

/** The TPP agency's roster as the staff register would serve it: bases by job class, three unknown. */
export function tppRoster(plan: DatasetPlan): (StaffMember & { agencyId: string })[] {
  const bases = [1_875_000, 2_200_000, 2_525_000, 2_900_000, 3_350_000, 4_125_000];
  const agency = plan.agencies.find((a) => a.id === plan.tppAgency)!;
  return agency.officers.map((id, i) => ({ id, agencyId: agency.id, name: `Pegawai ${i + 1}`, tppBase: i % 100 === 99 ? null : bases[(i * 7) % bases.length]! }));
}

/** Every generated officer (the throughput stack's staff register). */
export function allRosters(plan: DatasetPlan): (StaffMember & { agencyId: string })[] {
  return plan.agencies.flatMap((a) => a.officers.map((id, i) => ({ id, agencyId: a.id, name: `Pegawai ${a.no}-${i + 1}`, tppBase: 2_200_000 })));
}

const SKM = Array.from({ length: 9 }, () => '1 + (random() < 0.97)::int + (random() < 0.8)::int + (random() < 0.45)::int').join(', ');

/** Loads the plan into `schema` in one transaction (seeded random, so the figures repeat). */
export async function loadDataset(orm: MikroORM, schema: string, plan: DatasetPlan): Promise<{ tickets: number; ratings: number }> {
  const s = `"${schema}"`;
  const roster = plan.agencies.flatMap((a) => a.officers);
  const c = plan.cells;
  return orm.em.transactional(async (em) => {
    const conn = em.getConnection();
    const tx = em.getTransactionContext();
    const run = (sql: string, params: unknown[] = []) => conn.execute<Record<string, unknown>[]>(sql, params, 'all', tx);
    await run('set local synchronous_commit = off');
    await run(`set local work_mem = '256MB'`);
    await run(`set local maintenance_work_mem = '512MB'`);
    // Secondary indexes are dropped for the load and rebuilt after it from their own definitions
    // (as the migrations made them): a bulk build is minutes faster than a million random inserts.
    const indexes = (await run(
      `select i.indexname as name, i.indexdef as def from pg_indexes i
       where i.schemaname = ? and i.tablename in ('ticket', 'rating')
         and not exists (select 1 from pg_constraint c where c.conname = i.indexname and c.connamespace = ?::regnamespace)`,
      [schema, `"${schema}"`],
    )) as { name: string; def: string }[];
    for (const ix of indexes) await run(`drop index ${s}."${ix.name}"`);
    await run('select setseed(0.4242)');
    await run(
      `insert into ${s}.ticket (id, agency_id, citizen_ref, service_id, officer_id, status, submitted_at, completed_at, completed_period, version, updated_at)
       select x.id, x.agency, x.citizen_ref, x.service_id, x.officer_id, 'COMPLETED', x.completed_at - interval '3 days', x.completed_at,
              to_char(x.completed_at at time zone 'Asia/Jakarta', 'YYYY-MM'), 1, now()
       from (
         select c.agency || ':BK' || c.no || (case when g <= c.n then '-R' else '-U' end) || g as id,
                c.agency,
                'bench-citizen-' || ((c.no::bigint * 7919 + g::bigint * 104729) % 600000) as citizen_ref,
                c.agency || '.layanan-' || (1 + (g * 31) % 8) as service_id,
                case
                  when c.tpp and g <= c.n and g > c.n - 20 then r.a[c.off + 291 + g % 6]
                  when random() < 0.05 then null
                  when c.tpp then r.a[c.off + 1 + floor(290 * power(random(), 1.3))::int]
                  else r.a[c.off + 1 + floor(c.cnt * power(random(), 1.3))::int]
                end as officer_id,
                c.p_from + random() * (c.p_to - c.p_from) as completed_at
         from unnest(?::text[], ?::int[], ?::int[], ?::int[], ?::int[], ?::int[], ?::timestamptz[], ?::timestamptz[], ?::boolean[])
                as c(agency, no, n, tickets, off, cnt, p_from, p_to, tpp)
         cross join (select ?::text[] as a) r
         cross join lateral generate_series(1, c.tickets) g
       ) x`,
      [
        pgArray(c.map((x) => x.agency)),
        pgArray(c.map((x) => x.no)),
        pgArray(c.map((x) => x.ratings)),
        pgArray(c.map((x) => x.tickets)),
        pgArray(c.map((x) => x.officerOffset)),
        pgArray(c.map((x) => x.officerCount)),
        pgArray(c.map((x) => x.from.toISOString())),
        pgArray(c.map((x) => x.to.toISOString())),
        pgArray(c.map((x) => String(x.tpp))),
        pgArray(roster),
      ],
    );
    await run(
      `insert into ${s}.rating (id, ticket_id, citizen_ref, idempotency_key, request_hash, agency_id, service_id, officer_id, stars, comment, skm,
                                period, completed_at, created_at, status)
       select gen_random_uuid()::text, t.id, t.citizen_ref, case when random() < 0.7 then 'bench-' || md5(t.id) end, 'bench-load',
              t.agency_id, t.service_id, t.officer_id,
              (case when p.s < 0.03 + 0.05 * p.bias then 1 when p.s < 0.07 + 0.12 * p.bias then 2 when p.s < 0.17 + 0.2 * p.bias then 3
                    when p.s < 0.45 + 0.2 * p.bias then 4 else 5 end)::smallint,
              case when random() < 0.15 then (array['Pelayanan cepat dan ramah.', 'Antrean terlalu lama.', 'Petugas sangat membantu.',
                                                    'Persyaratannya kurang jelas.'])[1 + floor(random() * 4)::int] end,
              case when random() < 0.6 then array[${SKM}]::smallint[] end,
              t.completed_period, t.completed_at, t.completed_at + random() * least(interval '6 days', now() - t.completed_at),
              case when p.f < 0.015 then 'FLAGGED' when p.f < 0.02 then 'REJECTED' else 'VALID' end
       from ${s}.ticket t
       cross join lateral (select random() as s, random() as f, (abs(hashtext(coalesce(t.officer_id, t.agency_id))) % 100) / 100.0 as bias) p
       where t.id like '%:BK%-R%'`,
    );
    for (const ix of indexes) await run(ix.def);
    const [counts] = await run(`select (select count(*) from ${s}.ticket)::int as tickets, (select count(*) from ${s}.rating)::int as ratings`);
    return counts as { tickets: number; ratings: number };
  });
}

/** Sets the visibility map and statistics, as autovacuum would have on a live system. */
export async function vacuumAnalyze(orm: MikroORM, schema: string, tables = ['ticket', 'rating']): Promise<void> {
  for (const t of tables) await orm.em.getConnection().execute(`vacuum (analyze) "${schema}"."${t}"`);
}
