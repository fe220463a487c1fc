import { describe, expect, it } from 'vitest';
import { FrontendMessageCounter } from '../src/proxy';
import { DEMO, buildSeed, dendaPbb, pbbTerhutang } from '../src/seed';
import { formatNop, isValidNop } from '../src/nop';

describe('PBB-P2 rules', () => {
  it('charges 0.1% of NJOP above the allowance, 0.2% above Rp 1 billion, at least Rp 10,000', () => {
    expect(pbbTerhutang(252_300_000, 10_000_000)).toBe(242_300);
    expect(pbbTerhutang(1_500_000_000, 10_000_000)).toBe(2_980_000);
    expect(pbbTerhutang(8_000_000, 10_000_000)).toBe(10_000);
    expect(pbbTerhutang(12_345_678, 0)).toBe(12_346);
  });

  it('adds a surcharge per started month late, 2% before 2024 and 1% since, at most 24 months', () => {
    expect(dendaPbb(100_000, 2025, '2025-08-31', '2025-08-31')).toBe(0);
    expect(dendaPbb(100_000, 2025, '2025-08-31', '2025-09-01')).toBe(1_000);
    expect(dendaPbb(100_000, 2025, '2025-08-31', '2025-10-01')).toBe(2_000);
    expect(dendaPbb(100_000, 2023, '2023-08-31', '2023-09-30')).toBe(2_000);
    expect(dendaPbb(100_000, 2023, '2023-08-31', '2026-08-31')).toBe(48_000);
  });
});

describe('seed', () => {
  const now = new Date('2026-11-28T03:00:00Z');
  const rows = buildSeed(now);

  it('is deterministic for a given moment', () => {
    expect(JSON.stringify(buildSeed(now))).toBe(JSON.stringify(rows));
  });

  it('has ~150 objects with valid, unique NOPs and four tax years of SPPT', () => {
    const noppart = (r: unknown[]) => formatNop({ kdPropinsi: String(r[0]), kdDati2: String(r[1]), kdKecamatan: String(r[2]), kdKelurahan: String(r[3]), kdBlok: String(r[4]), noUrut: String(r[5]), kdJnsOp: String(r[6]) });
    const nops = rows.objek.map(noppart);
    expect(nops).toHaveLength(150);
    expect(new Set(nops).size).toBe(150);
    expect(nops.every(isValidNop)).toBe(true);
    expect(new Set(rows.sppt.map((r) => r[7]))).toEqual(new Set(['2023', '2024', '2025', '2026']));
    expect(nops).toContain(formatNop(DEMO.siti.rumah));
  });
});

describe('FrontendMessageCounter', () => {
  const startup = () => {
    const params = Buffer.from('user\0postgres\0database\0test\0\0');
    const b = Buffer.alloc(8 + params.length);
    b.writeInt32BE(b.length, 0);
    b.writeInt32BE(196608, 4);
    params.copy(b, 8);
    return b;
  };
  const message = (type: string, body: string) => {
    const payload = Buffer.from(body);
    const b = Buffer.alloc(5 + payload.length);
    b.write(type, 0);
    b.writeInt32BE(4 + payload.length, 1);
    payload.copy(b, 5);
    return b;
  };

  it('counts typed messages after the startup packet, across arbitrary chunk boundaries', () => {
    const seen: string[] = [];
    const counter = new FrontendMessageCounter((t) => seen.push(t));
    const ssl = Buffer.alloc(8);
    ssl.writeInt32BE(8, 0);
    ssl.writeInt32BE(80877103, 4);
    counter.fromClient(ssl);
    counter.fromServer(Buffer.from('N'));
    const stream = Buffer.concat([startup(), message('p', 'secret\0'), message('Q', 'SELECT 1\0'), message('P', '\0SELECT $1\0\0\0'), message('B', 'x'.repeat(40)), message('E', '\0\0\0\0\0'), message('S', ''), message('X', '')]);
    for (let i = 0; i < stream.length; i += 3) counter.fromClient(stream.subarray(i, i + 3));
    expect(seen).toEqual(['p', 'Q', 'P', 'B', 'E', 'S', 'X']);
  });

  it('goes quiet once TLS is accepted', () => {
    const seen: string[] = [];
    const counter = new FrontendMessageCounter((t) => seen.push(t));
    const ssl = Buffer.alloc(8);
    ssl.writeInt32BE(8, 0);
    ssl.writeInt32BE(80877103, 4);
    counter.fromClient(ssl);
    counter.fromServer(Buffer.from('S'));
    counter.fromClient(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc]));
    expect(seen).toEqual([]);
  });
});
