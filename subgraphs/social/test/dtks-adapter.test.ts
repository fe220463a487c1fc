import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants, existsSync } from 'node:fs';
import { mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { acknowledge, createDtksDropSimulator, readProposals, type DtksDropSimulator } from '@gerbang/sim-dtks-drop';
import { DtksDropFolder, parseManifest } from '../src/adapters/dtks/drop-folder';

const NOW = new Date('2026-11-28T03:00:00Z');
let root: string;
let dir: string;
let sim: DtksDropSimulator;
let client: DtksDropFolder;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'social-adapter-'));
  dir = join(root, 'drop');
  sim = createDtksDropSimulator({ dir, now: () => NOW });
  client = new DtksDropFolder({ dir, timeoutMs: 300, retries: 1, retryDelayMs: 10, breaker: { volumeThreshold: 3, resetTimeoutMs: 200 } });
});
afterEach(async () => {
  client.upstream.shutdown();
  sim.faults.reset();
  await rm(root, { recursive: true, force: true });
});

describe('DTSEN drop folder adapter against the simulator', () => {
  it('lists batches in name order and tells which have their manifest', async () => {
    const a = await sim.writeBatch();
    const b = await sim.writeBatch();
    await writeFile(join(dir, 'DTSEN_3503_20261128_003.csv'), 'still arriving');
    await writeFile(join(dir, 'DTSEN_3503_20261128_004.csv.tmp'), 'half written');
    await writeFile(join(dir, 'catatan.txt'), 'not a batch');
    const listed = await client.listBatches();
    expect(listed.map((l) => [l.name, l.hasManifest])).toEqual([
      [a.name, true],
      [b.name, true],
      ['DTSEN_3503_20261128_003.csv', false],
    ]);
    expect(listed[0]!.size).toBeGreaterThan(1000);
  });

  it('reads a batch with its manifest, byte for byte', async () => {
    const batch = await sim.writeBatch();
    const file = await client.readBatch(batch.name);
    expect(createHash('sha256').update(file.content).digest('hex')).toBe(batch.sha256);
    expect(file.manifest).toEqual({ sha256: batch.sha256, name: batch.name, rows: batch.rows, periode: '2026-11' });
    expect(await client.readManifest(batch.name)).toEqual({ manifest: file.manifest });
  });

  it('parses the manifest format strictly', () => {
    expect(() => parseManifest('nonsense')).toThrow(/sha256/);
    expect(() => parseManifest(`${'a'.repeat(64)}  X.csv\n`)).toThrow(/rows/);
    expect(parseManifest(`${'a'.repeat(64)} *X.csv\r\n# rows=3\r\n`)).toEqual({ sha256: 'a'.repeat(64), name: 'X.csv', rows: 3, periode: null });
  });

  it('answers a missing file with NOT_FOUND, which does not trip the breaker', async () => {
    await expect(client.readBatch('DTSEN_3503_20260101_001.csv')).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(await client.readManifest('DTSEN_3503_20260101_001.csv')).toEqual({ manifest: null });
    expect(client.upstream.state).toBe('closed');
  });

  it("answers a malformed manifest as that batch's problem (the ingester quarantines it as MANIFEST_UNREADABLE), not as a fault of the share", async () => {
    const batch = await sim.writeBatch();
    // Dinsos's exporter writes a manifest without its row count.
    await writeFile(join(dir, `${batch.name}.sha256`), `${batch.sha256}  ${batch.name}\n# periode=2026-11\n`);
    const probe = new DtksDropFolder({ dir, retries: 0, breaker: { volumeThreshold: 3, resetTimeoutMs: 200 } });
    try {
      for (let i = 0; i < 3; i++) {
        const file = await probe.readBatch(batch.name);
        expect(file).toMatchObject({ name: batch.name, manifest: null, manifestProblem: 'manifest unreadable: missing "# rows=<n>"' });
      }
      expect(await probe.readManifest(batch.name)).toEqual({ manifest: null, problem: 'manifest unreadable: missing "# rows=<n>"' });
      expect(probe.upstream.state).toBe('closed');
    } finally {
      probe.upstream.shutdown();
    }
  });

  it('writes a proposal file atomically into outbox/ and reads the answer back', async () => {
    const csv = 'id_usulan,nik,nama,id_keluarga,program,alasan,tanggal_usulan\r\nUSL-2026-000001,3503115708900001,SITI RAHAYU,3503111203150004,BPNT,"Suami sakit, penghasilan turun",2026-11-28\r\n';
    await client.writeProposalFile('USULAN_20261128_0001.csv', csv);
    expect(await readdir(join(dir, 'outbox'))).toEqual(['USULAN_20261128_0001.csv']);
    expect(await client.readAck('USULAN_20261128_0001.csv')).toBeNull();
    const [pending] = await readProposals(dir);
    expect(pending!.rows[0]).toMatchObject({ id_usulan: 'USL-2026-000001', alasan: 'Suami sakit, penghasilan turun' });
    await acknowledge(dir, pending!, { now: NOW });
    const ack = await client.readAck('USULAN_20261128_0001.csv');
    expect(ack!.split('\r\n').slice(0, 2)).toEqual([
      'baris,id_usulan,nik,status,alasan,diproses_pada',
      '2,USL-2026-000001,3503115708900001,DITERIMA,Masuk daftar usulan untuk verifikasi dan validasi desa (musyawarah desa),2026-11-28T10:00:00+07:00',
    ]);
    await expect(client.writeProposalFile('../escape.csv', csv)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('reports a folder that is down as UPSTREAM_UNAVAILABLE, retrying reads once, and never recreates it', async () => {
    client.upstream.shutdown();
    client = new DtksDropFolder({ dir, timeoutMs: 300, retries: 1, retryDelayMs: 10, breaker: { volumeThreshold: 10 } });
    await sim.writeBatch();
    sim.faults.set({ down: true });
    await expect(client.listBatches()).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'Dinsos DTSEN drop folder' } });
    expect(client.upstream.attempts).toBe(2);
    await expect(client.writeProposalFile('USULAN_X.csv', 'x')).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    await expect(client.readAck('USULAN_X.csv')).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    // An unmounted share must stay missing: the simulator can bring its folder back.
    expect(existsSync(dir)).toBe(false);
    sim.faults.set({ down: false });
    expect(await client.listBatches()).toHaveLength(1);
  });

  it('opens the circuit when the folder is down, then fails fast, then recovers', async () => {
    client.upstream.shutdown();
    client = new DtksDropFolder({ dir, timeoutMs: 300, retries: 0, breaker: { volumeThreshold: 3, resetTimeoutMs: 200 } });
    sim.faults.set({ down: true });
    for (let i = 0; i < 3; i++) await client.listBatches().catch(() => undefined);
    expect(client.upstream.state).toBe('open');
    const attempts = client.upstream.attempts;
    await expect(client.listBatches()).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: 'circuit open' } });
    expect(client.upstream.attempts).toBe(attempts);
    sim.faults.reset();
    // Past resetTimeoutMs the breaker lets one probe through: wait for that state, not for a fixed time.
    await vi.waitFor(() => expect(client.upstream.state).toBe('half-open'), { timeout: 5_000, interval: 10 });
    await expect(client.listBatches()).resolves.toEqual([]);
    expect(client.upstream.state).toBe('closed');
  });

  it('gives up on a share that hangs at the deadline', async () => {
    // A FIFO blocks its reader until a writer comes, as a hung network mount does.
    const name = 'DTSEN_3503_20261128_001.csv';
    execFileSync('mkfifo', [join(dir, name)]);
    await expect(client.readBatch(name)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: expect.stringMatching(/timed out/) } });
    // Release the blocked reads (one per attempt) so no thread stays stuck.
    for (let i = 0; i < 2; i++) {
      const w = await open(join(dir, name), constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null);
      await w?.close();
    }
    expect(await readFile(join(dir, `${name}.sha256`)).catch(() => null)).toBeNull();
  });
});
