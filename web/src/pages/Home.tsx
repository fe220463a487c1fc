import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { skipToken, useQuery } from '@apollo/client/react';
import { SearchAgenciesDocument } from '../gql/graphql';
import { useI18n } from '../i18n';
import { ErrorNotice, Loading, RatingLine } from '../components';

/** The home page: find an agency by name, abbreviation or a misspelling. */
export function Home() {
  const { t } = useI18n();
  const initial = new URLSearchParams(window.location.search).get('q') ?? '';
  const [text, setText] = useState(initial);
  const [q, setQ] = useState(initial);
  const { data, loading, error, refetch } = useQuery(SearchAgenciesDocument, q.trim().length < 2 ? skipToken : { variables: { q } });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQ(text.trim());
    window.history.replaceState(null, '', text.trim() ? `/?q=${encodeURIComponent(text.trim())}` : '/');
  };
  const agencies = data?.agencies ?? [];
  return (
    <>
      <h1>{t('app.tagline')}</h1>
      <form role="search" onSubmit={submit} className="card search">
        <label htmlFor="q">{t('search.label')}</label>
        <p id="q-hint" className="muted">
          {t('search.hint')}
        </p>
        <div className="row">
          <input id="q" name="q" type="search" value={text} autoComplete="off" placeholder={t('search.placeholder')} aria-describedby="q-hint" onChange={(e) => setText(e.target.value)} />
          <button type="submit">{t('search.submit')}</button>
        </div>
      </form>
      {loading && <Loading />}
      {error && <ErrorNotice error={error} onRetry={() => void refetch()} />}
      {data && (
        <section aria-labelledby="results-title">
          <h2 id="results-title" aria-live="polite">
            {agencies.length ? t('search.results', { n: agencies.length }) : t('search.none', { q })}
          </h2>
          <ul className="list">
            {agencies.map((a) => (
              <li key={a.id} className="card">
                <h3>
                  <Link href={`/instansi/${encodeURIComponent(a.id)}`}>
                    {a.name} ({a.abbreviation})
                  </Link>
                </h3>
                <RatingLine rating={a.rating} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
