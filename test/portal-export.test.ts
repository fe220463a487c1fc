import { describe, expect, it } from 'vitest';
import { exportInsights } from '../web/src/insights-export';

/** The analysts' dashboard's CSV export (web/src/insights-export.ts): the table the page holds, in the insights export's columns. */
describe('the dashboard export', () => {
  it('writes one column per dimension and measure, a suppressed cell empty with <measure>_suppressed = true, RFC 4180 quoting and CRLF', async () => {
    const question = { measures: ['COMPLETED_WITHIN_SLA_PERCENT', 'RATINGS'] as const, dimensions: ['AGENCY', 'MONTH'] as const, from: '2026-06', to: '2026-07' };
    const answer = {
      rows: [
        {
          agency: { id: 'dinkes', name: 'Dinas Kesehatan, Pengendalian Penduduk dan "KB"', abbreviation: 'Dinkes' },
          month: '2026-06',
          cells: [
            { measure: 'COMPLETED_WITHIN_SLA_PERCENT', value: 87.5, suppressed: false },
            { measure: 'RATINGS', value: null, suppressed: true },
          ],
        },
      ],
    };
    const file = await exportInsights({ ...question, measures: [...question.measures], dimensions: [...question.dimensions] }, answer as never);
    expect(file.filename).toBe('insights-2026-06-2026-07.csv');
    expect(file.blob.type).toBe('text/csv;charset=utf-8');
    expect(await file.blob.text()).toBe(
      'agency_id,agency,month,completed_within_sla_percent,completed_within_sla_percent_suppressed,ratings,ratings_suppressed\r\n' +
        'dinkes,"Dinas Kesehatan, Pengendalian Penduduk dan ""KB""",2026-06,87.5,false,,true\r\n',
    );
  });
});
