/**
 * What the history generator and the cube know about the demo's services and officers
 * (docs/DEMO-DATA.md): each service's agency, its service-level agreement in calendar days, how
 * many tickets it opens per 1,000 residents a month, its seasonality, its channels, and the
 * officers who serve it. Figures are policy and plausible orders of magnitude for a regency, not
 * measurements: they make the analyst views and the TPP report show realistic shapes.
 */

/** Kecamatan codes 01–14 (the NIK's 5th–6th digits) and approximate resident shares. */
export const KECAMATAN: readonly { code: number; name: string; weight: number }[] = [
  { code: 1, name: 'Panggul', weight: 80 },
  { code: 2, name: 'Munjungan', weight: 53 },
  { code: 3, name: 'Pule', weight: 52 },
  { code: 4, name: 'Dongko', weight: 62 },
  { code: 5, name: 'Tugu', weight: 47 },
  { code: 6, name: 'Karangan', weight: 57 },
  { code: 7, name: 'Kampak', weight: 38 },
  { code: 8, name: 'Watulimo', weight: 67 },
  { code: 9, name: 'Bendungan', weight: 30 },
  { code: 10, name: 'Gandusari', weight: 61 },
  { code: 11, name: 'Trenggalek', weight: 71 },
  { code: 12, name: 'Pogalan', weight: 62 },
  { code: 13, name: 'Durenan', weight: 57 },
  { code: 14, name: 'Suruh', weight: 31 },
];

export interface OfficerProfile {
  id: string;
  agencyId: string;
  positionClass: string;
  /** Mean stars citizens give them (a few below 4, as in any real office). */
  meanStars: number;
  /** Multiplier on the service's share of late completions. */
  slowness: number;
}

/**
 * The demo officers (id = NIP) with the position class analysts may see them under. Classes follow
 * the civil-service job families: Pelaksana (clerical), Fungsional Terampil, Fungsional Ahli.
 */
export const OFFICERS: readonly OfficerProfile[] = [
  { id: '198703152010011002', agencyId: 'dispendukcapil', positionClass: 'PELAKSANA', meanStars: 4.45, slowness: 1 },
  { id: '199001222015032004', agencyId: 'dispendukcapil', positionClass: 'FUNGSIONAL_TERAMPIL', meanStars: 4.6, slowness: 0.8 },
  { id: '198511302009011003', agencyId: 'dispendukcapil', positionClass: 'PELAKSANA', meanStars: 3.55, slowness: 2.2 },
  { id: '198808082012122001', agencyId: 'dpmptsp', positionClass: 'FUNGSIONAL_AHLI', meanStars: 4.4, slowness: 1 },
  { id: '199203172019031005', agencyId: 'dpmptsp', positionClass: 'FUNGSIONAL_TERAMPIL', meanStars: 4.2, slowness: 1.3 },
  { id: '198406252008011004', agencyId: 'bpkpd', positionClass: 'FUNGSIONAL_AHLI', meanStars: 4.3, slowness: 1 },
  { id: '199107042017082003', agencyId: 'bpkpd', positionClass: 'PELAKSANA', meanStars: 4.5, slowness: 0.9 },
  { id: '198912112014022002', agencyId: 'dinkesdalduk', positionClass: 'FUNGSIONAL_AHLI', meanStars: 4.55, slowness: 1 },
  { id: '199305192020121006', agencyId: 'dinkesdalduk', positionClass: 'FUNGSIONAL_TERAMPIL', meanStars: 3.7, slowness: 1.6 },
  { id: '198602142011012005', agencyId: 'dinsos', positionClass: 'FUNGSIONAL_AHLI', meanStars: 4.35, slowness: 1 },
  { id: '199409302022031007', agencyId: 'dinsos', positionClass: 'PELAKSANA', meanStars: 4.1, slowness: 1.2 },
  { id: '198205102006042001', agencyId: 'bkpsdm', positionClass: 'FUNGSIONAL_AHLI', meanStars: 4.4, slowness: 1 },
];

export interface ServiceProfile {
  id: string;
  agencyId: string;
  /** Ticket id prefix in the agency's system (after `<agency>:`). */
  prefix: string;
  /** Service-level agreement, calendar days from submission to completion (0: the same day). */
  slaDays: number;
  /** Tickets a month per 1,000 residents, before seasonality. */
  ratePer1000: number;
  /** Share of completions after the SLA, before the officer's slowness. */
  lateShare: number;
  /** Month multipliers, January first. */
  season: readonly number[];
  /** Portal, app, counter shares. */
  channels: readonly [number, number, number];
  officers: readonly string[];
}

const FLAT = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] as const;

/**
 * Seasonality: KK and birth certificates before school enrolment (June–July) and after Lebaran;
 * PBB copies, transfers and objections around the SPPT (sent in March, due 31 August); clinics in
 * the rainy season; aid proposals at the register's quarterly update rounds; building permits in
 * the dry season. KTP-el also rises in the three months before an election (ELECTIONS).
 */
export const SERVICES: readonly ServiceProfile[] = [
  {
    id: 'dispendukcapil.ktp-el',
    agencyId: 'dispendukcapil',
    prefix: 'SIAK',
    slaDays: 3,
    ratePer1000: 7,
    lateShare: 0.08,
    season: FLAT,
    channels: [0.3, 0.25, 0.45],
    officers: ['198703152010011002', '198511302009011003'],
  },
  {
    id: 'dispendukcapil.kartu-keluarga',
    agencyId: 'dispendukcapil',
    prefix: 'SIAK',
    slaDays: 2,
    ratePer1000: 5,
    lateShare: 0.07,
    season: [1, 0.9, 0.9, 1.2, 1.1, 1.4, 1.3, 1, 0.9, 0.9, 0.9, 1],
    channels: [0.35, 0.25, 0.4],
    officers: ['198703152010011002', '199001222015032004'],
  },
  {
    id: 'dispendukcapil.akta-kelahiran',
    agencyId: 'dispendukcapil',
    prefix: 'SIAK',
    slaDays: 2,
    ratePer1000: 2.5,
    lateShare: 0.06,
    season: [1, 0.9, 0.9, 1.1, 1.1, 1.4, 1.3, 1, 1, 1, 0.9, 0.9],
    channels: [0.4, 0.3, 0.3],
    officers: ['199001222015032004', '198511302009011003'],
  },
  {
    id: 'dpmptsp.izin-reklame',
    agencyId: 'dpmptsp',
    prefix: 'PRM',
    slaDays: 5,
    ratePer1000: 0.6,
    lateShare: 0.1,
    season: [0.9, 1, 1.2, 1, 1, 1, 1.3, 1.4, 0.9, 0.9, 0.9, 0.8],
    channels: [0.7, 0.1, 0.2],
    officers: ['198808082012122001'],
  },
  {
    id: 'dpmptsp.izin-penelitian',
    agencyId: 'dpmptsp',
    prefix: 'PRM',
    slaDays: 3,
    ratePer1000: 0.4,
    lateShare: 0.08,
    season: [0.8, 1, 1.3, 1.2, 1, 0.7, 0.7, 0.9, 1.1, 1.3, 1.2, 0.8],
    channels: [0.8, 0.1, 0.1],
    officers: ['199203172019031005'],
  },
  {
    id: 'dpmptsp.pbg',
    agencyId: 'dpmptsp',
    prefix: 'PRM',
    slaDays: 28,
    ratePer1000: 0.5,
    lateShare: 0.18,
    season: [0.8, 0.8, 0.9, 1, 1.3, 1.3, 1.3, 1.3, 1.2, 1, 0.8, 0.7],
    channels: [0.75, 0.05, 0.2],
    officers: ['198808082012122001', '199203172019031005'],
  },
  {
    id: 'bpkpd.mutasi-nama-pbb',
    agencyId: 'bpkpd',
    prefix: 'PBB',
    slaDays: 10,
    ratePer1000: 1.2,
    lateShare: 0.12,
    season: [0.8, 0.8, 1.1, 1.1, 1.1, 1.3, 1.6, 1.8, 0.8, 0.7, 0.7, 0.6],
    channels: [0.3, 0.1, 0.6],
    officers: ['198406252008011004', '199107042017082003'],
  },
  {
    id: 'bpkpd.keberatan-pbb',
    agencyId: 'bpkpd',
    prefix: 'PBB',
    slaDays: 60,
    ratePer1000: 0.3,
    lateShare: 0.15,
    season: [0.6, 0.8, 1.5, 1.6, 1.5, 1.1, 1, 1, 0.8, 0.7, 0.7, 0.6],
    channels: [0.4, 0.05, 0.55],
    officers: ['198406252008011004'],
  },
  {
    id: 'bpkpd.salinan-sppt',
    agencyId: 'bpkpd',
    prefix: 'PBB',
    slaDays: 1,
    ratePer1000: 1.5,
    lateShare: 0.05,
    season: [0.6, 0.6, 0.9, 1, 1, 1.6, 2, 2.6, 0.8, 0.6, 0.6, 0.5],
    channels: [0.35, 0.25, 0.4],
    officers: ['199107042017082003'],
  },
  {
    id: 'bpkpd.pendaftaran-op-baru',
    agencyId: 'bpkpd',
    prefix: 'PBB',
    slaDays: 14,
    ratePer1000: 0.3,
    lateShare: 0.12,
    season: FLAT,
    channels: [0.3, 0.1, 0.6],
    officers: ['198406252008011004', '199107042017082003'],
  },
  {
    id: 'bpkpd.pengurangan-pbb',
    agencyId: 'bpkpd',
    prefix: 'PBB',
    slaDays: 30,
    ratePer1000: 0.2,
    lateShare: 0.15,
    season: [0.6, 0.8, 1.4, 1.5, 1.4, 1.1, 1, 1, 0.8, 0.7, 0.7, 0.6],
    channels: [0.3, 0.05, 0.65],
    officers: ['198406252008011004'],
  },
  {
    id: 'dinkesdalduk.antrean-puskesmas',
    agencyId: 'dinkesdalduk',
    prefix: 'ANTREAN',
    slaDays: 0,
    ratePer1000: 25,
    lateShare: 0.04,
    season: [1.3, 1.3, 1.1, 1, 0.9, 0.9, 0.9, 0.9, 0.9, 1, 1.1, 1.2],
    channels: [0.1, 0.6, 0.3],
    officers: ['198912112014022002', '199305192020121006'],
  },
  {
    id: 'dinsos.usulan-bansos',
    agencyId: 'dinsos',
    prefix: 'USULAN',
    slaDays: 30,
    ratePer1000: 1,
    lateShare: 0.2,
    season: [1.5, 1, 0.9, 1.3, 0.9, 0.9, 1.3, 0.9, 0.9, 1.3, 0.9, 0.8],
    channels: [0.2, 0.1, 0.7],
    officers: ['198602142011012005', '199409302022031007'],
  },
];

/** General (Pemilu 14 Feb 2024), regional (Pilkada 27 Nov 2024) and the next general election. */
export const ELECTIONS = ['2024-02-14', '2024-11-27', '2029-02-14'] as const;

/** Star and SKM shapes: mean answer per SKM element (requirements … facilities), before the rating's own mood. */
export const SKM_BASE = [3.4, 3.3, 3.0, 3.8, 3.4, 3.5, 3.6, 3.1, 3.0] as const;

/** A few comments, none naming anyone. */
export const COMMENTS = [
  'Pelayanan cepat dan jelas.',
  'Petugas ramah, terima kasih.',
  'Antrean lama, mohon ditambah loket.',
  'Syarat kurang jelas di website.',
  'Selesai tepat waktu.',
  'Ruang tunggu panas.',
] as const;
