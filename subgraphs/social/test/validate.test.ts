import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HOUSEHOLDS, writeBatch, type BadRowKind } from '@gerbang/sim-dtks-drop';
import { parseBatch, REGISTER_COLUMNS, validateRecord, type RowProblemKind } from '../src/ingest/validate';

const NOW = new Date('2026-11-28T03:00:00Z');
const AT = Object.fromEntries(REGISTER_COLUMNS.map((c, i) => [c, i])) as Record<(typeof REGISTER_COLUMNS)[number], number>;
const SITI = [DEMO_HOUSEHOLDS.siti.idKeluarga, DEMO_HOUSEHOLDS.siti.nik, 'SITI RAHAYU', '3', 'PKH|PBI-JK', 'AKTIF', '2026-11', 'Trenggalek', 'Ngantru'];
const BUDI = [DEMO_HOUSEHOLDS.budi.idKeluarga, DEMO_HOUSEHOLDS.budi.nik, 'BUDI SANTOSO', '6', '', 'TIDAK_MENERIMA', '2026-11', 'Pogalan', 'Ngetal'];

const check = (record: string[], periode: string | null = '2026-11') => validateRecord(record, AT, REGISTER_COLUMNS.length, periode);
const kinds = (record: string[], periode: string | null = '2026-11') => {
  const r = check(record, periode);
  return 'problems' in r ? r.problems.map((p) => p.kind) : [];
};
const withField = (record: string[], index: number, value: string) => Object.assign([...record], { [index]: value });

describe('one register row', () => {
  it('accepts a good row and reads its fields', () => {
    expect(check(SITI)).toEqual({
      row: {
        householdId: '3503111203150004',
        nik: '3503115708900001',
        name: 'SITI RAHAYU',
        decile: 3,
        programmes: ['PKH', 'PBI-JK'],
        status: 'AKTIF',
        periode: '2026-11',
        kecamatan: 'Trenggalek',
        village: 'Ngantru',
      },
    });
    expect(check(BUDI)).toMatchObject({ row: { decile: 6, programmes: [], status: 'TIDAK_MENERIMA' } });
  });

  it.each([
    ['too short', '350311570890001'],
    ['impossible date', '3503113213900001'],
    ['unknown kecamatan', '3503155708900001'],
    ['another regency', '3504115708900001'],
    ['letters', '35031157089000AB'],
  ])('refuses an invalid NIK (%s)', (_, nik) => {
    expect(kinds(withField(SITI, AT.nik, nik))).toEqual(['INVALID_NIK']);
  });

  it.each(['0', '11', '-1', 'tiga', '3.5'])('refuses decile %s', (desil) => {
    expect(kinds(withField(SITI, AT.desil, desil))).toEqual(['DECILE_OUT_OF_RANGE']);
  });

  it('refuses an unknown programme code and names it', () => {
    const r = check(withField(SITI, AT.program, 'PKH|BANSOS-X'));
    expect(r).toEqual({ problems: [expect.objectContaining({ kind: 'UNKNOWN_PROGRAMME', message: expect.stringContaining('BANSOS-X') })] });
  });

  it('refuses aid above decile 4', () => {
    expect(kinds(Object.assign([...SITI], { [AT.desil]: '7' }))).toEqual(['AID_ABOVE_DECILE_4']);
    expect(kinds(Object.assign([...BUDI], { [AT.status_bantuan]: 'AKTIF' }))).toEqual(['AID_ABOVE_DECILE_4']);
  });

  it('refuses missing columns and empty required values', () => {
    expect(kinds(SITI.slice(0, 6))).toEqual(['COLUMN_COUNT', 'MISSING_VALUE']);
    expect(kinds(withField(SITI, AT.nama, ''))).toEqual(['MISSING_VALUE']);
    expect(kinds([...SITI, 'extra'])).toEqual(['COLUMN_COUNT']);
  });

  it('refuses a status that contradicts the programmes, an unknown status and a foreign periode', () => {
    expect(kinds(withField(SITI, AT.status_bantuan, 'TIDAK_MENERIMA'))).toEqual(['STATUS_MISMATCH']);
    expect(kinds(withField(SITI, AT.program, ''))).toEqual(['STATUS_MISMATCH']);
    expect(kinds(withField(SITI, AT.status_bantuan, 'AKTIF!'))).toEqual(['UNKNOWN_STATUS']);
    expect(kinds(SITI, '2026-12')).toEqual(['PERIOD_MISMATCH']);
    expect(kinds(withField(SITI, AT.id_keluarga, '35031112031500'))).toEqual(['INVALID_HOUSEHOLD_ID']);
  });
});

describe('a whole batch from the DTSEN simulator', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'social-validate-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('parses a clean batch: CRLF, quoted names with commas, every row good', async () => {
    const batch = await writeBatch(dir, { date: NOW });
    const parsed = parseBatch(await readFile(batch.file, 'utf8'), { periode: '2026-11' });
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.records).toBe(batch.rows);
    expect(parsed.bad).toEqual([]);
    expect(parsed.good.some((g) => g.row.name.includes(', '))).toBe(true);
    expect(parsed.good.find((g) => g.row.nik === DEMO_HOUSEHOLDS.siti.nik)).toMatchObject({ row: { decile: 3, programmes: ['PKH', 'PBI-JK'] } });
    expect(parsed.good[0]!.line).toBe(2);
  });

  const EXPECTED: Record<BadRowKind, RowProblemKind> = {
    invalidNik: 'INVALID_NIK',
    decileZero: 'DECILE_OUT_OF_RANGE',
    decileEleven: 'DECILE_OUT_OF_RANGE',
    unknownProgram: 'UNKNOWN_PROGRAMME',
    missingColumns: 'COLUMN_COUNT',
    duplicateNik: 'DUPLICATE_NIK',
    aidAboveDecile4: 'AID_ABOVE_DECILE_4',
  };

  it.each(Object.keys(EXPECTED) as BadRowKind[])('quarantines an injected %s row at its line, with the reason', async (kind) => {
    const batch = await writeBatch(dir, { date: NOW, inject: { [kind]: 2 } });
    const parsed = parseBatch(await readFile(batch.file, 'utf8'), { periode: '2026-11' });
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.records).toBe(batch.rows);
    for (const injected of batch.injected) {
      const bad = parsed.bad.find((b) => b.line === injected.line);
      expect(bad, `line ${injected.line}`).toBeDefined();
      expect(bad!.problems.map((p) => p.kind)).toContain(EXPECTED[kind]);
      expect(bad!.raw).toContain(injected.nik);
      expect(parsed.good.some((g) => g.line === injected.line)).toBe(false);
    }
    if (kind === 'duplicateNik') {
      // The record it duplicates is just as ambiguous: both are held back.
      expect(parsed.bad).toHaveLength(4);
      expect(parsed.bad.every((b) => b.problems[0]!.kind === 'DUPLICATE_NIK')).toBe(true);
    } else {
      expect(parsed.bad.map((b) => b.line).sort()).toEqual(batch.injected.map((b) => b.line).sort());
    }
    expect(parsed.good.length + parsed.bad.length).toBe(parsed.records);
  });

  it('refuses a file whose header lacks a column, and one that is not CSV', () => {
    expect(parseBatch('id_keluarga,nik,nama\r\n1,2,3\r\n', { periode: null })).toEqual({ ok: false, reason: expect.stringContaining('desil') });
    expect(parseBatch(`${REGISTER_COLUMNS.join(',')}\r\n"3503,unterminated\r\n`, { periode: null })).toMatchObject({ ok: false });
  });

  it('counts physical lines across a quoted field that spans lines', () => {
    const text = `${REGISTER_COLUMNS.join(',')}\r\n${SITI.map((v, i) => (i === AT.nama ? '"SITI\r\nRAHAYU"' : v)).join(',')}\r\n${BUDI.join(',')}\r\n`;
    const parsed = parseBatch(text, { periode: null });
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.periode).toBe('2026-11');
    expect(parsed.good.map((g) => g.line)).toEqual([2, 4]);
  });
});
