import { useMemo, useState, type FormEvent } from 'react';
import { skipToken, useQuery } from '@apollo/client/react';
import { InsightsDashboardDocument, type InsightMeasure, type InsightQuestionInput, type InsightsDashboardQuery } from '../gql/graphql';
import { useAuth } from '../auth';
import { useI18n, type MessageKey } from '../i18n';
import { ErrorNotice, Loading, Section, SignInPrompt } from '../components';
import { monthRange, monthsAgo } from '../month';
import { exportInsights } from '../insights-export';

type Answer = InsightsDashboardQuery['insights'];
type Row = Answer['rows'][number];

/** What the dashboard asks: the three charted measures and the counts they rest on, by agency and month. */
const MEASURES: InsightMeasure[] = ['COMPLETED_WITHIN_SLA_PERCENT', 'TICKETS_COMPLETED', 'AVERAGE_STARS', 'RATINGS', 'IKM'];
/** Charted measures and their scale (SLA in %, stars 1–5, IKM 25–100). */
const CHARTS: { measure: InsightMeasure; max: number; digits: number }[] = [
  { measure: 'COMPLETED_WITHIN_SLA_PERCENT', max: 100, digits: 1 },
  { measure: 'AVERAGE_STARS', max: 5, digits: 2 },
  { measure: 'IKM', max: 100, digits: 2 },
];
const DIGITS: Partial<Record<InsightMeasure, number>> = { COMPLETED_WITHIN_SLA_PERCENT: 1, AVERAGE_STARS: 2, IKM: 2 };
const MAX_MONTHS = 24;

const measureLabel = (m: InsightMeasure) => `ins.m.${m}` as MessageKey;

/** Analysts (`analis`) and admins: a dashboard over the insights API. */
export default function Insights() {
  const { t } = useI18n();
  const auth = useAuth();
  const [from, setFrom] = useState(monthsAgo(5));
  const [to, setTo] = useState(monthsAgo(0));
  const [question, setQuestion] = useState<InsightQuestionInput>(() => ({ measures: MEASURES, dimensions: ['AGENCY', 'MONTH'], from: monthsAgo(5), to: monthsAgo(0) }));
  const [problem, setProblem] = useState(false);
  const allowed = auth.hasRole('analyst') || auth.hasRole('admin');
  const { data, loading, error, refetch } = useQuery(InsightsDashboardDocument, allowed ? { variables: { question } } : skipToken);
  if (!auth.session) return <SignInPrompt />;
  if (!allowed) return <p>{t('auth.wrongRole', { role: 'analis' })}</p>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const months = monthRange(from, to).length;
    setProblem(months < 1 || months > MAX_MONTHS);
    if (months >= 1 && months <= MAX_MONTHS) setQuestion({ ...question, from, to });
  };
  const answer = data?.insights;
  return (
    <>
      <h1>{t('ins.title')}</h1>
      <p>{t('ins.intro')}</p>
      <form className="row wrap" onSubmit={submit} aria-label={t('ins.period')}>
        <div>
          <label htmlFor="ins-from">{t('ins.from')}</label>
          <input id="ins-from" type="month" value={from} onChange={(e) => e.target.value && setFrom(e.target.value)} />
        </div>
        <div>
          <label htmlFor="ins-to">{t('ins.to')}</label>
          <input id="ins-to" type="month" value={to} onChange={(e) => e.target.value && setTo(e.target.value)} />
        </div>
        <button type="submit">{t('ins.show')}</button>
      </form>
      {problem && (
        <p role="alert" className="notice error">
          {t('ins.badPeriod', { n: MAX_MONTHS })}
        </p>
      )}
      {loading && <Loading />}
      {error && <ErrorNotice error={error} onRetry={() => void refetch()} />}
      {data && <Budget budget={data.insightsBudget} answer={data.insights} />}
      {answer && !loading && <Answer question={question} answer={answer} />}
    </>
  );
}

/** The day's budget after this question (`insightsBudget` is read beside the question, before its charge). */
function Budget({ budget, answer }: { budget: InsightsDashboardQuery['insightsBudget']; answer: Answer }) {
  const { t, number, lang } = useI18n();
  const time = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Jakarta' }).format(new Date(budget.resetsAt));
  return (
    <Section title={t('ins.budget')} id="budget">
      <p data-testid="budget" data-remaining={answer.budgetRemaining}>
        {t('ins.budgetLine', { remaining: number(answer.budgetRemaining), limit: number(budget.limit), resets: time, cost: number(answer.cost) })}
      </p>
      <meter min={0} max={budget.limit} value={answer.budgetRemaining} aria-label={t('ins.budget')} />
    </Section>
  );
}

function Answer({ question, answer }: { question: InsightQuestionInput; answer: Answer }) {
  const { t, date } = useI18n();
  const [chart, setChart] = useState<InsightMeasure>('COMPLETED_WITHIN_SLA_PERCENT');
  const [exported, setExported] = useState<string>();
  const months = monthRange(question.from, question.to);
  const agencies = useMemo(() => {
    const byAgency = new Map<string, { id: string; name: string; abbreviation: string; rows: Map<string, Row> }>();
    for (const row of answer.rows) {
      if (!row.agency || !row.month) continue;
      const entry = byAgency.get(row.agency.id) ?? { ...row.agency, rows: new Map<string, Row>() };
      entry.rows.set(row.month, row);
      byAgency.set(row.agency.id, entry);
    }
    return [...byAgency.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [answer]);
  const k = answer.measures.map((m) => `${t(measureLabel(m.measure))} ${m.minimumCellSize}`).join('; ');
  const download = async () => {
    const file = await exportInsights(question, answer);
    const url = URL.createObjectURL(file.blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = file.filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setExported(file.filename);
  };
  if (agencies.length === 0) return <p>{t('ins.empty')}</p>;
  const spec = CHARTS.find((c) => c.measure === chart)!;
  const note = (
    <p className="notice" data-testid="suppressed-note">
      <span aria-hidden="true">✱ </span>
      {t('ins.suppressedNote', { n: answer.suppressedCells, k })}
    </p>
  );
  return (
    <>
      {answer.dataAsOf && <p className="muted">{t('ins.dataAsOf', { date: date(answer.dataAsOf) })}</p>}
      <Section title={t('ins.charts')} id="charts">
        <fieldset>
          <legend>{t('ins.measure')}</legend>
          {CHARTS.map((c) => (
            <label key={c.measure} className="check">
              <input type="radio" name="ins-chart" value={c.measure} checked={chart === c.measure} onChange={() => setChart(c.measure)} /> {t(measureLabel(c.measure))}
            </label>
          ))}
        </fieldset>
        <div className="charts">
          {agencies.map((a) => (
            <BarChart key={a.id} title={`${a.abbreviation} · ${a.name}`} months={months} rows={a.rows} measure={chart} max={spec.max} digits={spec.digits} />
          ))}
        </div>
        <p className="muted">{t('ins.legend')}</p>
      </Section>
      <Section title={t('ins.table')} id="table">
        {note}
        <InsightTable agencies={agencies} months={months} caption={`${t('ins.table')} ${question.from} – ${question.to}`} />
        <button type="button" onClick={() => void download()}>
          {t('ins.export')}
        </button>
        {exported && (
          <p role="status" className="notice ok">
            {t('ins.exported', { file: exported })}
          </p>
        )}
        <details>
          <summary>{t('ins.definitions')}</summary>
          <dl className="facts">
            {answer.measures.map((m) => (
              <div key={m.measure}>
                <dt>{t(measureLabel(m.measure))}</dt>
                <dd>
                  {m.definition} ({m.unit})
                </dd>
              </div>
            ))}
          </dl>
        </details>
      </Section>
    </>
  );
}

function useMonthLabel() {
  const { lang } = useI18n();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { month: 'short', year: '2-digit', timeZone: 'UTC' });
    return (ym: string) => format.format(new Date(Date.UTC(Number(ym.slice(0, 4)), Number(ym.slice(5, 7)) - 1, 1)));
  }, [lang]);
}

/** One agency's measure by month: bars drawn as SVG, the values said in its accessible name. */
function BarChart({ title, months, rows, measure, max, digits }: { title: string; months: string[]; rows: Map<string, Row>; measure: InsightMeasure; max: number; digits: number }) {
  const { t, number } = useI18n();
  const label = useMonthLabel();
  const W = 320;
  const H = 150;
  const top = 18;
  const bottom = 24;
  const slot = W / Math.max(1, months.length);
  const bar = Math.min(36, slot * 0.6);
  const values = months.map((m) => {
    const cell = rows.get(m)?.cells.find((c) => c.measure === measure);
    return { month: m, value: cell?.value ?? null, suppressed: cell?.suppressed ?? false };
  });
  const said = values.map((v) => `${label(v.month)} ${v.suppressed ? t('ins.suppressed') : v.value == null ? t('ins.noData') : number(v.value, digits)}`).join('; ');
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('ins.chartLabel', { measure: t(measureLabel(measure)), agency: title, values: said })} data-measure={measure}>
        <line x1={0} x2={W} y1={H - bottom} y2={H - bottom} className="axis" />
        {values.map((v, i) => {
          const x = i * slot + (slot - bar) / 2;
          const cx = i * slot + slot / 2;
          const base = H - bottom;
          const h = v.value == null ? 0 : Math.max(1, (Math.min(v.value, max) / max) * (base - top));
          return (
            <g key={v.month} data-suppressed={v.suppressed || undefined}>
              {v.suppressed ? (
                <>
                  <rect x={x} y={base - 30} width={bar} height={30} className="bar-suppressed" />
                  <text x={cx} y={base - 36} className="value">
                    ✱
                  </text>
                </>
              ) : v.value == null ? (
                <text x={cx} y={base - 6} className="value">
                  –
                </text>
              ) : (
                <>
                  <rect x={x} y={base - h} width={bar} height={h} className="bar" />
                  <text x={cx} y={base - h - 4} className="value">
                    {number(v.value, measure === 'COMPLETED_WITHIN_SLA_PERCENT' ? 0 : 1)}
                  </text>
                </>
              )}
              <text x={cx} y={H - 6} className="tick">
                {label(v.month)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** Every agency and month with the five measures; suppressed cells marked and named. */
function InsightTable({ agencies, months, caption }: { agencies: { id: string; abbreviation: string; rows: Map<string, Row> }[]; months: string[]; caption: string }) {
  const { t, number } = useI18n();
  const label = useMonthLabel();
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table data-testid="insights-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('ins.agency')}</th>
            <th scope="col">{t('ins.month')}</th>
            {MEASURES.map((m) => (
              <th scope="col" key={m}>
                {t(measureLabel(m))}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {agencies.flatMap((a) =>
            months
              .filter((m) => a.rows.has(m))
              .map((m) => {
                const row = a.rows.get(m)!;
                return (
                  <tr key={`${a.id}-${m}`}>
                    <th scope="row">{a.abbreviation}</th>
                    <td>{label(m)}</td>
                    {MEASURES.map((measure) => {
                      const cell = row.cells.find((c) => c.measure === measure);
                      if (cell?.suppressed) {
                        return (
                          <td key={measure} className="suppressed" data-suppressed="true">
                            <span aria-hidden="true">✱ </span>
                            {t('ins.suppressed')}
                          </td>
                        );
                      }
                      return <td key={measure}>{cell?.value == null ? '–' : number(cell.value, DIGITS[measure] ?? 0)}</td>;
                    })}
                  </tr>
                );
              }),
          )}
        </tbody>
      </table>
    </div>
  );
}
