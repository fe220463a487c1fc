import { useState } from 'react';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { AgencyOptionsDocument, FinalizeTppMonthDocument, HrTppReportDocument, ResolveAppealDocument, TppAppealsDocument, type TppAppealOutcome } from '../gql/graphql';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { ErrorNotice, Loading, Section, SignInPrompt } from '../components';
import { latestClosedMonth } from '../month';
import { TppTable } from './TppTable';

/** HR (BKPSDM): the TPP report of an agency and month, finalising a closed month, and appeals. */
export default function Hr() {
  const { t } = useI18n();
  const auth = useAuth();
  const [agencyId, setAgencyId] = useState('dispendukcapil');
  const [month, setMonth] = useState(latestClosedMonth());
  if (!auth.session) return <SignInPrompt />;
  if (!auth.hasRole('hr')) return <p>{t('auth.wrongRole', { role: 'SDM (BKPSDM)' })}</p>;
  return (
    <>
      <h1>{t('hr.title')}</h1>
      <Report agencyId={agencyId} month={month} onAgency={setAgencyId} onMonth={setMonth} />
      <Appeals />
    </>
  );
}

function Report({ agencyId, month, onAgency, onMonth }: { agencyId: string; month: string; onAgency: (id: string) => void; onMonth: (m: string) => void }) {
  const { t, date } = useI18n();
  const client = useApolloClient();
  const agencies = useQuery(AgencyOptionsDocument);
  const { data, loading, error, refetch } = useQuery(HrTppReportDocument, { variables: { agencyId, month }, errorPolicy: 'all' });
  const [finalizing, setFinalizing] = useState<{ sending: boolean; error?: unknown }>({ sending: false });
  const report = data?.tppReport;
  const finalize = async () => {
    if (!window.confirm(t('hr.confirmFinalize'))) return;
    setFinalizing({ sending: true });
    try {
      // Finalising is idempotent by nature: a second attempt answers ALREADY_FINALIZED and changes nothing.
      await client.mutate({ mutation: FinalizeTppMonthDocument, variables: { agencyId, month } });
      setFinalizing({ sending: false });
      await refetch();
    } catch (error) {
      setFinalizing({ sending: false, error });
    }
  };
  return (
    <Section title={`${t('hr.agency')} · ${month}`}>
      <div className="row wrap">
        <div>
          <label htmlFor="hr-agency">{t('hr.agency')}</label>
          <select id="hr-agency" value={agencyId} onChange={(e) => onAgency(e.target.value)}>
            {(agencies.data?.agencies ?? [{ id: agencyId, name: agencyId, abbreviation: agencyId }]).map((a) => (
              <option key={a.id} value={a.id}>
                {a.abbreviation} · {a.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="hr-month">{t('month')}</label>
          <input id="hr-month" type="month" value={month} onChange={(e) => e.target.value && onMonth(e.target.value)} />
        </div>
      </div>
      {loading && !data && <Loading />}
      {error && !report && <ErrorNotice error={error} onRetry={() => void refetch()} />}
      {report && (
        <>
          <p data-testid="tpp-state" data-finalized={report.finalized}>
            {report.finalized ? t('hr.finalized', { date: date(report.finalizedAt!) }) : t('hr.open', { date: date(report.ratingWindowClosesAt) })}
          </p>
          <TppTable rows={report.rows} caption={`TPP ${agencyId} ${month}`} />
          {!report.finalized && (
            <button type="button" onClick={() => void finalize()} disabled={finalizing.sending}>
              {finalizing.sending ? t('form.sending') : t('hr.finalize', { month })}
            </button>
          )}
          {finalizing.error ? <ErrorNotice error={finalizing.error} onRetry={() => void finalize()} /> : null}
        </>
      )}
    </Section>
  );
}

function Appeals() {
  const { t, date } = useI18n();
  const client = useApolloClient();
  const { data, loading, error, refetch } = useQuery(TppAppealsDocument, { variables: { status: 'OPEN' } });
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>();
  const resolve = async (id: string, outcome: TppAppealOutcome) => {
    setFailure(undefined);
    try {
      await client.mutate({ mutation: ResolveAppealDocument, variables: { id, outcome, note: notes[id]?.trim() || outcome } });
      await refetch();
    } catch (e) {
      setFailure(e);
    }
  };
  const appeals = data?.tppAppeals ?? [];
  return (
    <Section title={t('hr.appeals')}>
      {loading && !data && <Loading />}
      {error && <ErrorNotice error={error} onRetry={() => void refetch()} />}
      {failure ? <ErrorNotice error={failure} /> : null}
      {data && appeals.length === 0 && <p>{t('hr.noAppeals')}</p>}
      <ul className="list">
        {appeals.map((a) => (
          <li key={a.id} className="card">
            <strong>{a.officer.name}</strong> · {a.agencyId} · {a.month}
            <p>{a.reason}</p>
            <p className="muted">{date(a.filedAt)}</p>
            <label htmlFor={`note-${a.id}`}>{t('hr.note')}</label>
            <input id={`note-${a.id}`} value={notes[a.id] ?? ''} onChange={(e) => setNotes({ ...notes, [a.id]: e.target.value })} />
            <div className="row">
              <button type="button" onClick={() => void resolve(a.id, 'UPHELD')}>
                {t('hr.uphold')}
              </button>
              <button type="button" className="secondary" onClick={() => void resolve(a.id, 'REJECTED')}>
                {t('hr.rejectAppeal')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </Section>
  );
}
