import { useState } from 'react';
import { skipToken, useApolloClient, useQuery } from '@apollo/client/react';
import { ModerationQueueDocument, ReviewFlagDocument, type RatingFlagDecision } from '../gql/graphql';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { ErrorNotice, Loading, Section, SignInPrompt } from '../components';

/** Administrators: ratings flagged by the anti-fraud rules, to accept or reject with a note. */
export default function Admin() {
  const { t, date } = useI18n();
  const auth = useAuth();
  const client = useApolloClient();
  const { data, loading, error, refetch } = useQuery(ModerationQueueDocument, auth.hasRole('admin') ? {} : skipToken);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  if (!auth.session) return <SignInPrompt />;
  if (!auth.hasRole('admin')) return <p>{t('auth.wrongRole', { role: 'admin' })}</p>;
  const review = async (id: string, decision: RatingFlagDecision) => {
    setFailure(undefined);
    try {
      const r = await client.mutate({ mutation: ReviewFlagDocument, variables: { id, decision, note: notes[id]?.trim() || decision } });
      setDone(r.data?.reviewRatingFlag.status);
      await refetch();
    } catch (e) {
      setFailure(e);
    }
  };
  const flags = data?.ratingFlags ?? [];
  return (
    <>
      <h1>{t('admin.title')}</h1>
      {done && (
        <p role="status" className="notice ok">
          {t('admin.resolved', { status: done })}
        </p>
      )}
      {failure ? <ErrorNotice error={failure} /> : null}
      <Section title={`${t('admin.title')} (${flags.length})`}>
        {loading && !data && <Loading />}
        {error && <ErrorNotice error={error} onRetry={() => void refetch()} />}
        {data && flags.length === 0 && <p>{t('admin.none')}</p>}
        <ul className="list" data-testid="flags">
          {flags.map((f) => (
            <li key={f.id} className="card" data-flag={f.id}>
              <p>
                <strong>
                  {t('admin.rule')}: {f.rule}
                </strong>{' '}
                <span className="muted">{date(f.createdAt)}</span>
              </p>
              <p>{f.details}</p>
              <p>
                <span aria-hidden="true">{'★'.repeat(f.rating.stars)}</span> <span className="sr-only">{t('rating.stars', { n: f.rating.stars })}</span> · {f.rating.agency.name} ·{' '}
                {f.rating.service.name}
                {f.rating.officer ? ` · ${f.rating.officer.name}` : ''}
              </p>
              {f.rating.comment && <blockquote>{f.rating.comment}</blockquote>}
              <label htmlFor={`flag-note-${f.id}`}>{t('admin.note')}</label>
              <input id={`flag-note-${f.id}`} value={notes[f.id] ?? ''} onChange={(e) => setNotes({ ...notes, [f.id]: e.target.value })} />
              <div className="row">
                <button type="button" onClick={() => void review(f.id, 'ACCEPT')}>
                  {t('admin.accept')}
                </button>
                <button type="button" className="secondary" onClick={() => void review(f.id, 'REJECT')}>
                  {t('admin.reject')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}
