import { describe, expect, it } from 'vitest';
import { InvalidNopError, NOP_COLUMNS, formatNop, isValidNop, nopFromRow, nopValues, parseNop } from '../src/nop';

const SITI = { kdPropinsi: '35', kdDati2: '03', kdKecamatan: '110', kdKelurahan: '005', kdBlok: '001', noUrut: '0012', kdJnsOp: '0' };

describe('NOP', () => {
  it('parses the 18-digit and the printed forms to the same parts', () => {
    expect(parseNop('350311000500100120')).toEqual(SITI);
    expect(parseNop('35.03.110.005.001-0012.0')).toEqual(SITI);
    expect(parseNop('35.03.110.005.001.0012.0')).toEqual(SITI);
    expect(parseNop('  35.03.110.005.001-0012.0 ')).toEqual(SITI);
  });

  it('formats dotted by default and plain on request, and round-trips', () => {
    expect(formatNop(SITI)).toBe('35.03.110.005.001-0012.0');
    expect(formatNop(SITI, 'plain')).toBe('350311000500100120');
    expect(parseNop(formatNop(SITI))).toEqual(SITI);
    expect(() => formatNop({ ...SITI, noUrut: '12' })).toThrow(InvalidNopError);
  });

  it('reads NOP parts from a SISMIOP row, trimming CHAR padding', () => {
    const row = { KD_PROPINSI: '35', KD_DATI2: '03', KD_KECAMATAN: '110', KD_KELURAHAN: '005', KD_BLOK: '001', NO_URUT: '0012', KD_JNS_OP: '0 ', THN_PAJAK_SPPT: '2026' };
    expect(nopFromRow(row)).toEqual(SITI);
    expect(nopValues(SITI)).toEqual(['35', '03', '110', '005', '001', '0012', '0']);
    expect(NOP_COLUMNS).toHaveLength(7);
  });

  it.each([
    ['3503110005001001', 'too short'],
    ['3503110005001001200', 'too long'],
    ['35.03.110.005.0010012.0', 'half-dotted'],
    ['36.03.110.005.001-0012.0', 'another province'],
    ['35.04.110.005.001-0012.0', 'another regency'],
    ['35.03.150.005.001-0012.0', 'unknown kecamatan'],
    ['35.03.011.005.001-0012.0', 'population-style kecamatan code'],
    ['35.03.110.000.001-0012.0', 'village 000'],
    ['35.03.110.005.000-0012.0', 'block 000'],
    ['35.03.110.005.001-0000.0', 'serial 0000'],
    ['35.03.11O.005.001-0012.0', 'letter O for zero'],
  ])('rejects %s (%s)', (input) => {
    expect(isValidNop(input)).toBe(false);
    expect(() => parseNop(input)).toThrow(InvalidNopError);
  });

  it('says why a NOP is invalid', () => {
    try {
      parseNop('35.03.150.005.001-0012.0');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidNopError);
      expect((err as InvalidNopError).reason).toBe('unknown kecamatan code 150');
    }
  });

  it('accepts every Trenggalek kecamatan code 010 … 140', () => {
    for (let k = 10; k <= 140; k += 10) expect(isValidNop(`35.03.${String(k).padStart(3, '0')}.001.001-0001.0`)).toBe(true);
  });
});
