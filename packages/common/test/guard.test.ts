import { describe, expect, it } from 'vitest';
import { ANONYMOUS, ErrorCode, GerbangError, requireCaller, requireCitizen, type Caller } from '../src/index';

const siti: Caller = { sub: 'siti', roles: ['citizen'], nik: '3503010101900001' };
const officer: Caller = { sub: 'agus', roles: ['officer'], nip: '198703152010011002', agencyId: 'dinsos' };
const noNik: Caller = { sub: 'tamu', roles: ['citizen'] };

/** The refusal `run` throws: its code and message. */
function refusal(run: () => unknown): { code: unknown; message: string } {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(GerbangError);
    return { code: (err as GerbangError).extensions.code, message: (err as Error).message };
  }
  throw new Error('expected a refusal, the guard passed');
}

describe('requireCaller', () => {
  it('refuses an anonymous caller with UNAUTHENTICATED, whatever the rule, with the message asked for', () => {
    expect(refusal(() => requireCaller(ANONYMOUS))).toEqual({ code: ErrorCode.UNAUTHENTICATED, message: 'Sign in first.' });
    expect(refusal(() => requireCaller(ANONYMOUS, { roles: ['admin'], unauthenticated: 'Sign in as staff.' }))).toEqual({ code: ErrorCode.UNAUTHENTICATED, message: 'Sign in as staff.' });
  });

  it('returns the signed-in caller, typed with its NIK when the rule asks for one', () => {
    const citizen = requireCaller(siti, { nik: true, forbidden: 'Only citizens.' });
    const nik: string = citizen.nik; // typed: no assertion needed
    expect([citizen.sub, nik]).toEqual(['siti', siti.nik]);
    expect(requireCaller(officer)).toBe(officer);
  });

  it('refuses with FORBIDDEN and the rule’s message when a role, the NIK or the extra condition is missing', () => {
    expect(refusal(() => requireCaller(noNik, { nik: true, forbidden: 'Only citizens have tax objects.' }))).toEqual({ code: ErrorCode.FORBIDDEN, message: 'Only citizens have tax objects.' });
    expect(refusal(() => requireCaller(siti, { roles: ['hr', 'admin'], forbidden: 'HR only.' }))).toEqual({ code: ErrorCode.FORBIDDEN, message: 'HR only.' });
    expect(refusal(() => requireCaller(officer, { roles: ['officer'], when: (c) => c.agencyId === 'bpkpd' }))).toEqual({ code: ErrorCode.FORBIDDEN, message: 'You may not do this.' });
    expect(requireCaller(officer, { roles: ['officer', 'admin'], when: (c) => c.agencyId === 'dinsos', forbidden: 'Dinsos only.' })).toBe(officer);
  });

  it('asks the extra condition only of a caller who passed the rest', () => {
    let asked = 0;
    const when = () => {
      asked++;
      return true;
    };
    refusal(() => requireCaller(siti, { roles: ['admin'], when }));
    refusal(() => requireCaller(ANONYMOUS, { when }));
    expect(asked).toBe(0);
    requireCaller(siti, { roles: ['citizen'], when });
    expect(asked).toBe(1);
  });
});

describe('requireCitizen (filings), built on it', () => {
  it('answers the citizen’s sub and NIK, and refuses others as before', () => {
    expect(requireCitizen(siti, 'file')).toEqual({ sub: 'siti', nik: siti.nik });
    expect(refusal(() => requireCitizen(ANONYMOUS, 'file'))).toEqual({ code: ErrorCode.UNAUTHENTICATED, message: 'Sign in first.' });
    expect(refusal(() => requireCitizen({ ...officer, nik: '3503010101900002' }, 'file a permit'))).toEqual({ code: ErrorCode.FORBIDDEN, message: 'Only citizens can file a permit.' });
    expect(refusal(() => requireCitizen(noNik, 'file'))).toEqual({ code: ErrorCode.FORBIDDEN, message: 'Only citizens can file.' });
  });
});
