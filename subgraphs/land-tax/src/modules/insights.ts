import { AgencyMeasureAnswerer, kecamatanCodeOf, type AccessLog, type AgencyFact, type AgencyMeasureRequest, type AgencyQuestion } from '@gerbang/common';
import type { PbbAssessment, PbbPayment, TaxStatistics } from '../adapters/sismiop/registry';

const monthsOfYear = (year: string) => Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);

/**
 * PBB collection facts for a question: per kecamatan and tax year, the SPPTs assessed (the cell's
 * size), the rupiah assessed and the rupiah paid by the end of the period; by MONTH, one fact per
 * month of each tax year, paid by the end of that month (the realisation BPKPD reports monthly).
 */
function collectionFacts(question: Pick<AgencyQuestion, 'dimensions' | 'from' | 'to'>, data: { assessments: PbbAssessment[]; payments: PbbPayment[] }): AgencyFact[] {
  const paidBy = (kecamatan: string, year: string, month: string) => data.payments.filter((p) => p.kecamatan === kecamatan && p.year === year && p.month <= month).reduce((sum, p) => sum + p.paid, 0);
  const facts: AgencyFact[] = [];
  for (const a of data.assessments) {
    const KECAMATAN = String(kecamatanCodeOf(a.kecamatan));
    if (question.dimensions.includes('MONTH')) {
      for (const MONTH of monthsOfYear(a.year)) facts.push({ key: { MONTH, KECAMATAN }, n: a.objects, num: paidBy(a.kecamatan, a.year, MONTH), den: a.assessed });
    } else {
      facts.push({ key: { KECAMATAN }, n: a.objects, num: paidBy(a.kecamatan, a.year, question.to), den: a.assessed });
    }
  }
  return facts;
}

/** PBB_COLLECTION_RATE for one request: one SISMIOP statement per question, suppressed here. */
export function pbbCollectionAnswerer({ statistics, ...request }: AgencyMeasureRequest & { statistics: TaxStatistics; accessLog: AccessLog }) {
  return new AgencyMeasureAnswerer({
    ...request,
    measure: 'PBB_COLLECTION_RATE',
    source: 'land-tax',
    kind: 'ratio',
    // A rate over tax years, not a sum over months: the period's figure is its own years' whole roll.
    periodRule: false,
    facts: async (_range, question) => {
      const data = await statistics.collection(question.from.slice(0, 4), question.to.slice(0, 4));
      return collectionFacts(question, data);
    },
  });
}
