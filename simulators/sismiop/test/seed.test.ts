import { describe, expect, it } from 'vitest';
import { FrontendMessageCounter, sqlCommentRequestId } from '../src/proxy';
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
    const noppart = (r: unknown[]) =>
      formatNop({ kdPropinsi: String(r[0]), kdDati2: String(r[1]), kdKecamatan: String(r[2]), kdKelurahan: String(r[3]), kdBlok: String(r[4]), noUrut: String(r[5]), kdJnsOp: String(r[6]) });
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
    const stream = Buffer.concat([
      startup(),
      message('p', 'secret\0'),
      message('Q', 'SELECT 1\0'),
      message('P', '\0SELECT $1\0\0\0'),
      message('B', 'x'.repeat(40)),
      message('E', '\0\0\0\0\0'),
      message('S', ''),
      message('X', ''),
    ]);
    for (let i = 0; i < stream.length; i += 3) counter.fromClient(stream.subarray(i, i + 3));
    expect(seen).toEqual(['p', 'Q', 'P', 'B', 'E', 'S', 'X']);
  });

  it('hands over the SQL text of Query and Parse messages, across arbitrary chunk boundaries', () => {
    const seen: string[] = [];
    const sql: string[] = [];
    const counter = new FrontendMessageCounter(
      (t) => seen.push(t),
      (s) => sql.push(s),
    );
    const parseTypes = Buffer.from([0, 1, 0, 0, 0, 25]); // one parameter, int4
    const stream = Buffer.concat([
      startup(),
      message('Q', "SELECT 'é' /*request_id='a'*/\0"),
      message('P', `s1\0SELECT $1::int\0${parseTypes.toString('latin1')}`),
      message('B', 'x'.repeat(40)),
      message('E', '\0\0\0\0\0'),
      message('P', '\0SELECT 2\0\0\0'),
      message('S', ''),
    ]);
    for (let i = 0; i < stream.length; i += 1) counter.fromClient(stream.subarray(i, i + 1));
    expect(seen).toEqual(['Q', 'P', 'B', 'E', 'P', 'S']);
    expect(sql).toEqual(["SELECT 'é' /*request_id='a'*/", 'SELECT $1::int', 'SELECT 2']);
  });

  it('stops reading a stream out of step with the protocol', () => {
    const seen: string[] = [];
    const counter = new FrontendMessageCounter(
      (t) => seen.push(t),
      () => undefined,
    );
    const broken = Buffer.from([0x51, 0, 0, 0, 2]); // 'Q' with a length shorter than the length field
    counter.fromClient(Buffer.concat([startup(), broken, message('Q', 'SELECT 1\0')]));
    expect(seen).toEqual([]);
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

describe('sqlCommentRequestId', () => {
  it('reads request_id from a sqlcommenter comment closing the statement, URL-decoded', () => {
    expect(sqlCommentRequestId("SELECT 1 /*request_id='req-1'*/")).toBe('req-1');
    expect(sqlCommentRequestId("SELECT 1 /*request_id='a%27%2A%2F%20b%C3%A9'*/ ;\n")).toBe("a'*/ bé");
    expect(sqlCommentRequestId("SELECT 1 /*action='list',request_id='r%3D2',route='%2Fx'*/")).toBe('r=2');
    expect(sqlCommentRequestId("SELECT /* a comment */ 1 /*request_id='it\\'s'*/")).toBe("it's");
  });

  it('finds nothing without such a comment at the end, or with a malformed value', () => {
    expect(sqlCommentRequestId('SELECT 1')).toBeUndefined();
    expect(sqlCommentRequestId("SELECT 1 /*action='list'*/")).toBeUndefined();
    expect(sqlCommentRequestId("SELECT '/*request_id=''x''*/' AS s WHERE true")).toBeUndefined();
    expect(sqlCommentRequestId("SELECT 1 /*request_id='x'*/ AND 2")).toBeUndefined();
    expect(sqlCommentRequestId("SELECT 1 /*request_id='%E0%A4%A'*/")).toBeUndefined();
    expect(sqlCommentRequestId("SELECT 1 /*request_id=''*/")).toBeUndefined();
    expect(sqlCommentRequestId("SELECT 1 /*request_id='x'")).toBeUndefined();
  });
});
