import { describe, expect, it } from 'vitest';
import { burstRule, DEFAULT_FRAUD_POLICY, deviationRule, evaluateFraudRules, spreadRule, type RatingFact } from '../src/modules/moderation/fraud';
import { ModerationService } from '../src/modules/moderation/moderation.service';

const policy = DEFAULT_FRAUD_POLICY; // burst: 8 in 10 min; device > 3 officers / 24 h; ip > 10; deviation 1.5 stars (5 / 10 ratings)
const t0 = new Date('2026-11-20T03:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
let seq = 0;
const fact = (over: Partial<RatingFact> = {}): RatingFact => ({ id: `r${++seq}`, officerId: 'A', stars: 5, createdAt: t0, deviceRef: null, ipRef: null, ...over });

describe('burst rule', () => {
  it('flags every rating of a burst: 8 ratings for one officer within 10 minutes', () => {
    const recent = Array.from({ length: 7 }, (_, i) => fact({ createdAt: at(i) }));
    const subject = fact({ createdAt: at(9) });
    const finding = burstRule(subject, recent, policy);
    expect(finding?.rule).toBe('BURST');
    expect(finding?.ratingIds).toHaveLength(8);
    expect(finding?.ratingIds).toContain(subject.id);
    expect(finding?.details).toEqual({ officerId: 'A', ratings: 8, windowMinutes: 10 });
  });

  it("does not flag the same number spread over more than the window, or other officers' ratings", () => {
    const spread = Array.from({ length: 7 }, (_, i) => fact({ createdAt: at(i * 2) }));
    expect(burstRule(fact({ createdAt: at(14) }), spread, policy)).toBeNull();
    const others = Array.from({ length: 7 }, (_, i) => fact({ officerId: 'B', createdAt: at(i) }));
    expect(burstRule(fact({ createdAt: at(8) }), others, policy)).toBeNull();
  });

  it('ignores ratings without an officer', () => {
    expect(burstRule(fact({ officerId: null }), [], policy)).toBeNull();
  });
});

describe('device and address spread rules', () => {
  it('flags one device rating more than 3 officers within 24 hours', () => {
    const recent = ['A', 'B', 'C'].map((officerId, i) => fact({ officerId, deviceRef: 'dev1', createdAt: at(i * 60) }));
    const subject = fact({ officerId: 'D', deviceRef: 'dev1', createdAt: at(600) });
    const finding = spreadRule('device', subject, recent, policy);
    expect(finding).toMatchObject({ rule: 'DEVICE_SPREAD', details: { distinctOfficers: 4, ratings: 4, windowHours: 24 } });
    expect(finding!.ratingIds).toHaveLength(4);
    expect(JSON.stringify(finding!.details)).not.toContain('dev1');
  });

  it('lets a device rate 3 officers, and forgets ratings older than the window', () => {
    const three = ['A', 'B'].map((officerId) => fact({ officerId, deviceRef: 'dev1' }));
    expect(spreadRule('device', fact({ officerId: 'C', deviceRef: 'dev1' }), three, policy)).toBeNull();
    const old = ['A', 'B', 'C'].map((officerId) => fact({ officerId, deviceRef: 'dev1', createdAt: at(-25 * 60) }));
    expect(spreadRule('device', fact({ officerId: 'D', deviceRef: 'dev1' }), old, policy)).toBeNull();
  });

  it('counts distinct officers, not ratings', () => {
    const same = Array.from({ length: 6 }, () => fact({ officerId: 'A', deviceRef: 'dev1' }));
    expect(spreadRule('device', fact({ officerId: 'A', deviceRef: 'dev1' }), same, policy)).toBeNull();
  });

  it('flags one IP address rating more than 10 officers (a higher bar: offices share addresses)', () => {
    const recent = Array.from({ length: 10 }, (_, i) => fact({ officerId: `O${i}`, ipRef: 'ip1' }));
    expect(spreadRule('ip', fact({ officerId: 'O9', ipRef: 'ip1' }), recent, policy)).toBeNull();
    expect(spreadRule('ip', fact({ officerId: 'O10', ipRef: 'ip1' }), recent, policy)?.rule).toBe('IP_SPREAD');
  });

  it('is inert without a device or address reference', () => {
    expect(spreadRule('device', fact(), [fact(), fact()], policy)).toBeNull();
  });
});

describe('officer deviation rule', () => {
  const unit = { count: 20, sum: 86 }; // rest of the unit: mean 4.3
  it('flags the low ratings of an officer whose month is 1.5+ stars below the rest of the unit', () => {
    const month = [1, 1, 2, 1, 5, 1].map((stars, i) => ({ id: `m${i}`, stars }));
    const finding = deviationRule('A', month, unit, policy);
    expect(finding).toMatchObject({ rule: 'OFFICER_DEVIATION', details: { direction: 'LOW', officerMean: 1.83, unitMean: 4.3, officerRatings: 6, unitRatings: 20 } });
    expect(finding!.ratingIds).toEqual(['m0', 'm1', 'm2', 'm3', 'm5']); // the 5-star one is not suspicious
  });

  it('flags the high ratings of an officer far above a low-rated unit', () => {
    const month = [5, 5, 5, 5, 5].map((stars, i) => ({ id: `h${i}`, stars }));
    expect(deviationRule('A', month, { count: 30, sum: 75 }, policy)).toMatchObject({ details: { direction: 'HIGH' }, ratingIds: ['h0', 'h1', 'h2', 'h3', 'h4'] });
  });

  it('stays quiet within the threshold (exactly at 1.5 stars it fires)', () => {
    const month = (stars: number[]) => stars.map((s, i) => ({ id: `x${i}`, stars: s }));
    // unit mean 4.0; officer mean 2.6 (1.4 below) → quiet; 2.5 (1.5 below) → flagged
    expect(deviationRule('A', month([3, 3, 2, 3, 2]), { count: 10, sum: 40 }, policy)).toBeNull();
    expect(deviationRule('A', month([3, 2, 3, 2, 3, 2]), { count: 10, sum: 40 }, policy)).not.toBeNull();
  });

  it('needs enough ratings on both sides', () => {
    const month = [1, 1, 1, 1].map((stars, i) => ({ id: `y${i}`, stars }));
    expect(deviationRule('A', month, unit, policy)).toBeNull();
    expect(deviationRule('A', [...month, { id: 'y5', stars: 1 }], { count: 9, sum: 40 }, policy)).toBeNull();
  });
});

describe('evaluateFraudRules', () => {
  it('returns nothing for an ordinary rating', () => {
    expect(evaluateFraudRules({ subject: fact(), recent: [fact({ createdAt: at(-3) })], officerMonth: [{ id: 'a', stars: 4 }], unitOthers: { count: 3, sum: 12 }, policy })).toEqual([]);
  });
  it('reports every rule that fires', () => {
    const recent = [...Array.from({ length: 7 }, (_, i) => fact({ createdAt: at(-i) })), ...['B', 'C', 'D'].map((officerId) => fact({ officerId, deviceRef: 'dev9', createdAt: at(-30) }))];
    const rules = evaluateFraudRules({ subject: fact({ deviceRef: 'dev9' }), recent, policy }).map((f) => f.rule);
    expect(rules).toEqual(['BURST', 'DEVICE_SPREAD']);
  });
});

describe('ModerationService.findings', () => {
  it("picks each rating's own facts from its batch's: its officer, device and address, in its own windows", () => {
    const service = new ModerationService(null as never, DEFAULT_FRAUD_POLICY);
    const iso = (m: number) => new Date(t0.getTime() + m * 60_000).toISOString();
    // Read for a batch of two: officer A (burst window from t0 - 10 min) and address ip1 (spread window).
    const rows = [
      ['a1', 'A', 5, iso(-8), null, null, []], // in the first subject's burst window, not in the second's
      ...Array.from({ length: 6 }, (_, i) => [`a${i + 2}`, 'A', 5, iso(-5 + i), null, null, []]),
      ['x1', 'X', 3, iso(-60), null, 'ip1', ['IP_SPREAD']],
    ];
    const hits = [...rows.slice(0, 7).map((row) => ['o', 'A', row[0]]), ['i', 'ip1', 'x1']];
    const facts = service.facts([hits, rows, [['A', '2026-11', [['m1', 1]]]], [['dinsos', '2026-11', 'A', 12, 60]]]);
    const subject = (id: string, minutes: number, ipRef: string | null) => ({ id, officerId: 'A', agencyId: 'dinsos', period: '2026-11', stars: 5, createdAt: at(minutes), deviceRef: null, ipRef });
    // At t0 + 1 min: a1 (t0 - 8) and a2…a7 (t0 - 5 … t0) are within 10 minutes: 8 ratings of A, a burst.
    expect(service.findings(subject('s1', 1, null), facts).map((f) => [f.rule, f.ratingIds.length])).toEqual([['BURST', 8]]);
    // At t0 + 3 min: a1 is 11 minutes old: seven with the subject, no burst; x1 from its address, 2 officers: no spread.
    expect(service.findings(subject('s2', 3, 'ip1'), facts)).toEqual([]);
    // A rating without an officer sees nothing of A's.
    expect(service.findings({ ...subject('s3', 0, null), officerId: null }, facts)).toEqual([]);
  });

  it('names only ratings not yet flagged under the rule, and always the new one', () => {
    const service = new ModerationService(null as never, DEFAULT_FRAUD_POLICY);
    const iso = (m: number) => new Date(t0.getTime() + m * 60_000).toISOString();
    // Five officers from one device within the hour; the first three already carry DEVICE_SPREAD.
    const rows = ['A', 'B', 'C', 'D'].map((officerId, i) => [`old${i}`, officerId, 5, iso(i), 'dev1', null, i < 3 ? ['DEVICE_SPREAD'] : []]);
    // screeningFacts' value: [hits, rows, officer months, units]; the four were read for device dev1.
    const facts = service.facts([rows.map((row) => ['d', 'dev1', row[0]]), rows, [], []]);
    const subject = { id: 'new', officerId: 'E', agencyId: 'dinsos', period: '2026-11', stars: 5, createdAt: new Date(t0.getTime() + 10 * 60_000), deviceRef: 'dev1', ipRef: null };
    const found = service.findings(subject, facts);
    expect(found).toEqual([{ rule: 'DEVICE_SPREAD', ratingIds: ['new', 'old3'], details: { distinctOfficers: 5, ratings: 5, windowHours: 24 } }]);
  });
});
