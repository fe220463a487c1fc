import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ACK_DIR,
  BATCH_FILE_PATTERN,
  BATCH_HEADER,
  DEMO_HOUSEHOLDS,
  OUTBOX_DIR,
  PROGRAM_CODES,
  acknowledge,
  buildRegister,
  createDtksDropSimulator,
  isValidNik,
  parseManifest,
  readProposals,
  writeBatch,
  writeProposals,
} from '../src/index';

const NOW = new Date('2026-11-28T03:00:00Z'); // 10:00 WIB

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dtks-drop-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(join(tmpdir(), `.${dir.split('/').pop()}.offline`), { recursive: true, force: true });
});

const readCsv = async (file: string): Promise<string[][]> => parse(await readFile(file), { bom: true, relax_column_count: true });
const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

describe('register', () => {
  it('holds ~200 households with valid, unique NIKs and the demo citizens', () => {
    const register = buildRegister();
    expect(register).toHaveLength(200);
    const niks = register.flatMap((h) => h.members.map((m) => m.nik));
    expect(new Set(niks).size).toBe(niks.length);
    expect(niks.every(isValidNik)).toBe(true);
    const siti = register.find((h) => h.idKeluarga === DEMO_HOUSEHOLDS.siti.idKeluarga)!;
    expect(siti.desil).toBe(3);
    expect(siti.members.find((m) => m.nik === DEMO_HOUSEHOLDS.siti.nik)!.programs).toEqual(['PKH', 'PBI-JK']);
    const budi = register.find((h) => h.idKeluarga === DEMO_HOUSEHOLDS.budi.idKeluarga)!;
    expect(budi.desil).toBe(6);
    expect(budi.members.find((m) => m.nik === DEMO_HOUSEHOLDS.budi.nik)!.programs).toEqual([]);
  });

  it('gives aid only to deciles 1–4 and is the same on every build', () => {
    const register = buildRegister();
    for (const h of register) {
      expect(h.desil).toBeGreaterThanOrEqual(1);
      expect(h.desil).toBeLessThanOrEqual(10);
      if (h.desil > 4) expect(h.members.every((m) => m.programs.length === 0 && m.status === 'TIDAK_MENERIMA')).toBe(true);
    }
    expect(JSON.stringify(buildRegister())).toBe(JSON.stringify(register));
  });

  it('moves a few households between publications but never the demo citizens', () => {
    const base = buildRegister(0);
    const next = buildRegister(1);
    const changed = base.filter((h, i) => h.desil !== next[i]!.desil);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThanOrEqual(5);
    expect(next.slice(0, 2)).toEqual(base.slice(0, 2));
  });
});

describe('writeBatch', () => {
  it('writes the CSV and a matching manifest, leaving no temporary file', async () => {
    const result = await writeBatch(dir, { date: NOW });
    expect(result.name).toBe('DTSEN_3503_20261128_001.csv');
    expect(result.name).toMatch(BATCH_FILE_PATTERN);
    expect((await readdir(dir)).sort()).toEqual(['DTSEN_3503_20261128_001.csv', 'DTSEN_3503_20261128_001.csv.sha256']);

    const manifest = parseManifest(await readFile(result.manifestFile, 'utf8'));
    expect(manifest).toEqual({ sha256: await sha256(result.file), name: result.name, rows: result.rows, periode: '2026-11' });
    const records = await readCsv(result.file);
    expect(records[0]).toEqual([...BATCH_HEADER]);
    expect(records.length - 1).toBe(manifest.rows);
    expect((await readFile(result.file, 'utf8')).includes('\r\n')).toBe(true);

    const siti = records.find((r) => r[1] === DEMO_HOUSEHOLDS.siti.nik)!;
    expect(siti).toEqual([DEMO_HOUSEHOLDS.siti.idKeluarga, DEMO_HOUSEHOLDS.siti.nik, 'SITI RAHAYU', '3', 'PKH|PBI-JK', 'AKTIF', '2026-11', 'Trenggalek', 'Ngantru']);
    const budi = records.find((r) => r[1] === DEMO_HOUSEHOLDS.budi.nik)!;
    expect(budi.slice(3, 6)).toEqual(['6', '', 'TIDAK_MENERIMA']);
    // Names with academic titles carry commas and must survive the round trip.
    expect(records.some((r) => r[2]!.includes(', '))).toBe(true);
    expect(records.slice(1).every((r) => r.length === BATCH_HEADER.length && isValidNik(r[1]!))).toBe(true);
  });

  it('numbers files of one day in sequence', async () => {
    const a = await writeBatch(dir, { date: NOW });
    const b = await writeBatch(dir, { date: NOW });
    const c = await writeBatch(dir, { date: new Date('2026-11-28T18:00:00Z') });
    expect([a.name, b.name, c.name]).toEqual(['DTSEN_3503_20261128_001.csv', 'DTSEN_3503_20261128_002.csv', 'DTSEN_3503_20261129_001.csv']);
  });

  it('injects each requested kind of bad row at the reported line', async () => {
    const result = await writeBatch(dir, {
      date: NOW,
      inject: { invalidNik: 2, decileZero: 1, decileEleven: 1, unknownProgram: 1, missingColumns: 1, duplicateNik: 1, aidAboveDecile4: 1 },
    });
    expect(result.injected).toHaveLength(8);
    const records = await readCsv(result.file);
    for (const bad of result.injected) {
      const r = records[bad.line - 1]!;
      switch (bad.kind) {
        case 'invalidNik':
          expect(isValidNik(r[1]!)).toBe(false);
          break;
        case 'decileZero':
          expect(r[3]).toBe('0');
          break;
        case 'decileEleven':
          expect(r[3]).toBe('11');
          break;
        case 'unknownProgram':
          expect(r[4]!.split('|').some((p) => !(PROGRAM_CODES as readonly string[]).includes(p))).toBe(true);
          break;
        case 'missingColumns':
          expect(r.length).toBeLessThan(BATCH_HEADER.length);
          break;
        case 'duplicateNik':
          expect(records.filter((x) => x[1] === r[1])).toHaveLength(2);
          break;
        case 'aidAboveDecile4':
          expect(Number(r[3])).toBeGreaterThan(4);
          expect(r[4]).not.toBe('');
          break;
      }
    }
    // Bad rows are spread through the file, not all at its end.
    expect(Math.min(...result.injected.map((b) => b.line))).toBeLessThan(records.length / 2);
    const good = records.filter((_, i) => i > 0 && !result.injected.some((b) => b.line === i + 1));
    expect(good.every((r) => isValidNik(r[1]!) && Number(r[3]) >= 1 && Number(r[3]) <= 10)).toBe(true);
  });

  it('writes a truncated file whose manifest no longer matches', async () => {
    const result = await writeBatch(dir, { date: NOW, truncate: true });
    const manifest = parseManifest(await readFile(result.manifestFile, 'utf8'));
    expect(result.truncated).toBe(true);
    expect(await sha256(result.file)).not.toBe(manifest.sha256);
    expect((await readFile(result.file)).length).toBeLessThan(40_000);
  });

  it('rewrites a file under the same name, identically or with new content', async () => {
    const first = await writeBatch(dir, { date: NOW });
    const same = await writeBatch(dir, { date: NOW, name: first.name });
    expect(same.sha256).toBe(first.sha256);
    const changed = await writeBatch(dir, { date: NOW, name: first.name, revision: 3 });
    expect(changed.sha256).not.toBe(first.sha256);
    expect(parseManifest(await readFile(first.manifestFile, 'utf8')).sha256).toBe(await sha256(first.file));
    expect(await readdir(dir)).toHaveLength(2);
  });
});

describe('simulator faults', () => {
  it('takes the drop folder offline and brings it back with its files', async () => {
    const sim = createDtksDropSimulator({ dir, now: () => NOW });
    const batch = await sim.writeBatch();
    sim.faults.set({ down: true });
    expect(existsSync(dir)).toBe(false);
    await expect(readdir(dir)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(sim.writeBatch()).rejects.toThrow(/offline/);
    sim.faults.set({ down: false });
    expect(await readdir(dir)).toContain(batch.name);
  });

  it('corrupts exactly the next batch when asked', async () => {
    const sim = createDtksDropSimulator({ dir, now: () => NOW });
    sim.faults.set({ corruptNext: true });
    const bad = await sim.writeBatch();
    const good = await sim.writeBatch();
    expect(bad.truncated).toBe(true);
    expect(good.truncated).toBe(false);
    expect(await sha256(good.file)).toBe(good.sha256);
    expect(sim.faults.get().corruptNext).toBe(false);
  });
});

describe('proposals', () => {
  const proposals = [
    {
      id_usulan: 'USL-0001',
      nik: DEMO_HOUSEHOLDS.siti.nik,
      nama: 'SITI RAHAYU',
      id_keluarga: DEMO_HOUSEHOLDS.siti.idKeluarga,
      program: 'BPNT',
      alasan: 'Suami sakit, penghasilan berkurang',
      tanggal_usulan: '2026-11-27',
    },
    { id_usulan: 'USL-0002', nik: DEMO_HOUSEHOLDS.budi.nik, nama: 'BUDI SANTOSO', id_keluarga: DEMO_HOUSEHOLDS.budi.idKeluarga, program: 'PKH', alasan: 'Anak sekolah', tanggal_usulan: '2026-11-27' },
    { id_usulan: 'USL-0003', nik: DEMO_HOUSEHOLDS.siti.nik, nama: 'SITI RAHAYU', id_keluarga: DEMO_HOUSEHOLDS.siti.idKeluarga, program: 'PKH', alasan: 'Perpanjangan', tanggal_usulan: '2026-11-27' },
    { id_usulan: 'USL-0004', nik: '3503121505990009', nama: 'ARIF, S.KOM', id_keluarga: '', program: 'PBI-JK', alasan: 'Belum terdaftar, "tidak mampu"', tanggal_usulan: '2026-11-28' },
    { id_usulan: 'USL-0005', nik: '35031215059900', nama: 'SALAH KETIK', id_keluarga: '', program: 'PKH', alasan: '', tanggal_usulan: '2026-11-28' },
    { id_usulan: 'USL-0006', nik: '3503121505990009', nama: 'ARIF', id_keluarga: '', program: 'BANSOS-X', alasan: '', tanggal_usulan: '2026-11-28' },
    { id_usulan: 'USL-0004', nik: '3503121505990009', nama: 'ARIF', id_keluarga: '', program: 'PIP', alasan: 'dobel', tanggal_usulan: '2026-11-28' },
  ];

  it('reads the hub outbox, answers every row once, and stops listing answered files', async () => {
    const written = await writeProposals(dir, proposals, { date: NOW });
    expect(written.name).toBe('USULAN_20261128_001.csv');
    expect(written.file).toBe(join(dir, OUTBOX_DIR, written.name));

    const pending = await readProposals(dir);
    expect(pending).toHaveLength(1);
    expect(pending[0]!.rows.map((r) => r.id_usulan)).toEqual(proposals.map((p) => p.id_usulan));
    expect(pending[0]!.rows[3]).toMatchObject({ line: 5, nama: 'ARIF, S.KOM', alasan: 'Belum terdaftar, "tidak mampu"' });

    const ack = await acknowledge(dir, pending[0]!, { now: NOW });
    expect(ack.file).toBe(join(dir, ACK_DIR, 'ACK_USULAN_20261128_001.csv'));
    expect(ack.rows.map((r) => [r.id_usulan, r.status])).toEqual([
      ['USL-0001', 'DITERIMA'],
      ['USL-0002', 'DITOLAK'],
      ['USL-0003', 'DITOLAK'],
      ['USL-0004', 'DITERIMA'],
      ['USL-0005', 'DITOLAK'],
      ['USL-0006', 'DITOLAK'],
      ['USL-0004', 'DITOLAK'],
    ]);
    expect(ack.rows[1]!.alasan).toMatch(/Desil 6/);
    expect(ack.rows[2]!.alasan).toBe('Sudah terdaftar sebagai penerima PKH');
    expect(ack.rows[4]!.alasan).toBe('NIK tidak valid');
    expect(ack.rows[5]!.alasan).toMatch(/BANSOS-X/);
    expect(ack.rows[6]!.alasan).toMatch(/ganda/);
    expect(ack.rows.every((r) => r.diproses_pada === '2026-11-28T10:00:00+07:00')).toBe(true);

    // The ACK file parses back to the same decisions, and the proposal is no longer pending.
    const onDisk = (await readCsv(ack.file)).slice(1);
    expect(onDisk.map((r) => [r[1], r[3]])).toEqual(ack.rows.map((r) => [r.id_usulan, r.status]));
    expect(await readProposals(dir)).toEqual([]);
    const again = await acknowledge(dir, written.name, { now: new Date() });
    expect(again.written).toBe(false);
    expect(again.rows).toEqual(ack.rows);
  });

  it('refuses rows with missing columns and whole files with a wrong header', async () => {
    await writeProposals(dir, proposals.slice(0, 1), { name: 'USULAN_A.csv' });
    await writeFile(join(dir, OUTBOX_DIR, 'USULAN_B.csv'), 'id_usulan,nik,nama,id_keluarga,program,alasan,tanggal_usulan\r\nUSL-9,3503121505990009,ARIF\r\n');
    await writeFile(join(dir, OUTBOX_DIR, 'USULAN_C.csv'), 'nomor;nik\r\n1;2\r\n');
    await writeFile(join(dir, OUTBOX_DIR, 'USULAN_D.csv.tmp'), 'half written');
    const sim = createDtksDropSimulator({ dir, now: () => NOW });
    const acks = await sim.processProposals();
    expect(acks.map((a) => a.proposal)).toEqual(['USULAN_A.csv', 'USULAN_B.csv', 'USULAN_C.csv']);
    expect(acks[1]!.rows[0]).toMatchObject({ id_usulan: 'USL-9', status: 'DITOLAK' });
    expect(acks[1]!.rows[0]!.alasan).toMatch(/Format baris/);
    expect(acks[2]!.rows).toEqual([expect.objectContaining({ baris: 1, status: 'DITOLAK', alasan: expect.stringMatching(/Kolom tidak lengkap/) })]);
    expect(await sim.processProposals()).toEqual([]);
  });
});
