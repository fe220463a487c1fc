import { useState } from 'react';
import { skipToken, useQuery } from '@apollo/client/react';
import { OfficerHomeDocument } from '../gql/graphql';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { ErrorNotice, Loading, RatingLine, Section, SignInPrompt } from '../components';
import { previousMonth } from '../month';
import { TppTable } from './TppTable';

/** An officer's own stars and their row of a month's TPP report. */
export default function Officer() {
  const { t, number } = useI18n();
  const auth = useAuth();
  const [month, setMonth] = useState(previousMonth());
  const nip = auth.session?.nip;
  const agency = auth.session?.agency;
  const { data, loading, error, refetch } = useQuery(OfficerHomeDocument, nip && agency ? { variables: { id: nip, agencyId: agency, month }, errorPolicy: 'all' } : skipToken);
  if (!auth.session) return <SignInPrompt />;
  if (!nip || !agency) return <p>{t('auth.wrongRole', { role: 'petugas' })}</p>;
  if (loading && !data) return <Loading />;
  const officer = data?.officer;
  const rows = data?.tppReport?.rows ?? [];
  return (
    <>
      <h1>{t('officer.title')}</h1>
      {error && !officer && <ErrorNotice error={error} onRetry={() => void refetch()} />}
      {officer && (
        <Section title={`${officer.name} · ${officer.position}`}>
          <p>{officer.agency.name}</p>
          <p>
            <RatingLine rating={officer.rating} />
          </p>
          <ul className="list compact">
            {[...officer.rating.distribution]
              .sort((a, b) => b.stars - a.stars)
              .map((d) => (
                <li key={d.stars}>
                  {t('rating.stars', { n: d.stars })}: {number(d.count)}
                </li>
              ))}
          </ul>
        </Section>
      )}
      <Section title={t('officer.tpp', { month })}>
        <label htmlFor="officer-month">{t('month')}</label>
        <input id="officer-month" type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
        {rows.length ? <TppTable rows={rows} caption={t('officer.tpp', { month })} /> : <p>{t('tpp.noRow')}</p>}
      </Section>
    </>
  );
}
