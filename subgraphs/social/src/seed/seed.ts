import type { EntityManager } from '@mikro-orm/postgresql';
import { Sql } from '@gerbang/common';
import { changeLock } from '../modules/store';

/** The demo citizens' answered proposals (docs/DEMO-DATA.md). */
const DEMO_PROPOSALS = [
  {
    clientRef: 'seed:usr-warga-siti:usulan-bpnt',
    nik: '3503115708900001',
    householdId: '3503111203150004',
    name: 'SITI RAHAYU',
    programme: 'BPNT',
    reason: 'Suami sakit sejak Agustus, penghasilan keluarga berkurang; mohon bantuan pangan (sembako).',
    submittedDaysAgo: 5,
    decidedDaysAgo: 2,
    note: 'Masuk daftar usulan untuk verifikasi dan validasi desa (musyawarah desa)',
    officerNip: '198602142011012005',
  },
  {
    clientRef: 'seed:usr-warga-budi:usulan-pbi-jk',
    nik: '3503120203850002',
    householdId: '3503122506100007',
    name: 'BUDI SANTOSO',
    programme: 'PBI-JK',
    reason: 'Kepala keluarga terkena PHK bulan lalu; mohon iuran BPJS Kesehatan ditanggung (PBI-JK).',
    submittedDaysAgo: 6,
    decidedDaysAgo: 3,
    note: 'Masuk daftar usulan untuk verifikasi dan validasi desa (musyawarah desa); pemutakhiran desil melalui desa',
    officerNip: '199409302022031007',
  },
] as const;

const SEED_EXPORT = 'USULAN_DEMO_SEED.csv';

/**
 * Seeds warga.siti's and warga.budi's proposals, each already answered DITERIMA by Dinsos PPPA
 * (completed a few days before the first start, so they can be rated). Idempotent: a seeded
 * proposal is found by its client reference and never changed again.
 */
export async function seedSocial(em: EntityManager, now = new Date()): Promise<{ proposals: number }> {
  const sql = new Sql(em);
  const day = 86_400_000;
  let created = 0;
  await sql.transaction(async (tx) => {
    await changeLock(tx);
    await tx.all(`insert into ${sql.t('proposal_export')} (name, rows, created_at, written_at, acked_at) values (?, ?, ?, ?, ?) on conflict (name) do nothing`, [
      SEED_EXPORT,
      DEMO_PROPOSALS.length,
      new Date(now.getTime() - 5 * day),
      new Date(now.getTime() - 5 * day),
      new Date(now.getTime() - 2 * day),
    ]);
    for (const p of DEMO_PROPOSALS) {
      const row = await tx.one<{ id: string }>(
        `insert into ${sql.t('aid_proposal')} (id, nik, household_id, name, programme, reason, client_ref, status, submitted_at, export_name,
           decision_note, decided_at, officer_nip, change_seq)
         values ('USL-' || to_char(?::timestamptz at time zone 'Asia/Jakarta', 'YYYY') || '-' || lpad(nextval('${sql.t('aid_proposal_number_seq')}')::text, 6, '0'),
                 ?, ?, ?, ?, ?, ?, 'COMPLETED', ?, ?, ?, ?, ?, nextval('${sql.t('aid_proposal_change_seq')}'))
         on conflict (client_ref) do nothing
         returning id`,
        [
          new Date(now.getTime() - p.submittedDaysAgo * day),
          p.nik,
          p.householdId,
          p.name,
          p.programme,
          p.reason,
          p.clientRef,
          new Date(now.getTime() - p.submittedDaysAgo * day),
          SEED_EXPORT,
          p.note,
          new Date(now.getTime() - p.decidedDaysAgo * day),
          p.officerNip,
        ],
      );
      if (row) created++;
    }
  });
  return { proposals: created };
}
