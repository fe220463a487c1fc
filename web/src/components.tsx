import { useId, type ReactNode } from 'react';
import { useI18n, type MessageKey } from './i18n';
import { portalError } from './errors';
import { useAuth } from './auth';

/** Stars as text a screen reader says ("4,5 dari 5 (12 penilaian)") with the glyphs hidden from it. */
export function RatingLine({ rating }: { rating: { average?: number | null; count: number } }) {
  const { t, number } = useI18n();
  if (!rating.count || rating.average == null) return <span className="muted">{t('rating.none')}</span>;
  const full = Math.round(rating.average);
  return (
    <span className="rating">
      <span aria-hidden="true" className="stars">
        {'★'.repeat(full)}
        {'☆'.repeat(5 - full)}
      </span>{' '}
      {t('rating.summary', { avg: number(rating.average, 1), n: rating.count })}
    </span>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p role="status" className="muted">
      {t('common.loading')}
    </p>
  );
}

/** A refusal in the citizen's language, with a retry when one is safe. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { lang, t } = useI18n();
  const auth = useAuth();
  const e = portalError(error, lang);
  if (e.code === 'INTERNAL_SERVER_ERROR') console.error('portal error', error);
  return (
    <div role="alert" className="notice error">
      <p>{e.message}</p>
      {e.code === 'UNAUTHENTICATED' ? (
        <button
          type="button"
          onClick={() => {
            auth.signOut();
            auth.signIn();
          }}
        >
          {t('auth.signIn')}
        </button>
      ) : e.retryable && onRetry ? (
        <button type="button" onClick={onRetry}>
          {t('form.retry')}
        </button>
      ) : null}
    </div>
  );
}

/** A section of a page with its own heading; `down` names the agency system that could not answer. */
export function Section({ title, down, children, id }: { title: string; down?: string | undefined; children: ReactNode; id?: string }) {
  const { t } = useI18n();
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="card" id={id}>
      <h2 id={headingId}>{title}</h2>
      {down ? (
        <p role="status" className="notice warn" data-outage={down}>
          {t('my.sectionDown', { system: down })}
        </p>
      ) : (
        children
      )}
    </section>
  );
}

export function SignInPrompt() {
  const { t } = useI18n();
  const auth = useAuth();
  return (
    <div className="card">
      <p>{t('auth.needed')}</p>
      <button type="button" onClick={() => auth.signIn()}>
        {t('auth.signIn')}
      </button>
    </div>
  );
}

/** Status of a record as a labelled badge. */
export function Status({ value }: { value: string }) {
  const { t } = useI18n();
  // A status this version of the portal does not know yet is shown as the graph names it.
  const text = (t(`status.${value}` as MessageKey) as string | undefined) ?? value;
  return <span className={`badge badge-${value.toLowerCase()}`}>{text}</span>;
}

export function Rupiah({ value }: { value: number }) {
  const { t, number } = useI18n();
  return <>{t('common.rupiah', { n: number(value) })}</>;
}

/** A fresh idempotency key per intended action, kept across retries of that action. */
export function newIdempotencyKey(): string {
  return `web-${crypto.randomUUID()}`;
}
