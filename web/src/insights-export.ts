import type { InsightQuestionInput, InsightsDashboardQuery } from './gql/graphql';

type Answer = InsightsDashboardQuery['insights'];

export interface ExportFile {
  filename: string;
  blob: Blob;
}

const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * The dashboard's export: the table the page already holds, as a CSV file (RFC 4180, UTF-8), in
 * the columns of the insights API's `insightsExport` data sets: one per dimension and measure, a
 * suppressed cell empty with `<measure>_suppressed` = `true`. It asks nothing of the graph, so it
 * charges no budget and shows exactly what the analyst saw.
 *
 * This function is the seam for a streamed export endpoint of the insights subgraph: it receives
 * the question and the answer the page holds and resolves to a file; an implementation that
 * fetches the endpoint with the portal's bearer token and returns the response's Blob and file
 * name fits the same signature, and the page does not change.
 */
export async function exportInsights(question: InsightQuestionInput, answer: Answer): Promise<ExportFile> {
  const measures = question.measures;
  const header = ['agency_id', 'agency', 'month', ...measures.flatMap((m) => [m.toLowerCase(), `${m.toLowerCase()}_suppressed`])];
  const lines = [header.join(',')];
  for (const row of answer.rows) {
    const cells = new Map(row.cells.map((c) => [c.measure, c]));
    const values = measures.flatMap((m) => {
      const cell = cells.get(m);
      return [cell?.value == null ? '' : String(cell.value), cell?.suppressed ? 'true' : 'false'];
    });
    lines.push([row.agency?.id ?? '', row.agency?.name ?? '', row.month ?? '', ...values].map(field).join(','));
  }
  const filename = `insights-${question.from}-${question.to}.csv`;
  return { filename, blob: new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' }) };
}
