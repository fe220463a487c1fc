import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { completeSignIn, useAuth } from '../auth';
import { useI18n } from '../i18n';

/** Where the IdP sends the browser back with a code: trade it for a token, then go where the citizen was going. */
export function Callback() {
  const { t } = useI18n();
  const auth = useAuth();
  const [, navigate] = useLocation();
  const [failure, setFailure] = useState<string>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    completeSignIn(new URL(window.location.href))
      .then(({ returnTo }) => {
        auth.refresh();
        navigate(returnTo, { replace: true });
      })
      .catch((err: unknown) => setFailure(err instanceof Error ? err.message : String(err)));
  }, [auth, navigate]);
  return (
    <>
      <h1>{t('auth.signIn')}</h1>
      {failure ? (
        <p role="alert" className="notice error">
          {t('auth.failed', { reason: failure })}
        </p>
      ) : (
        <p role="status">{t('auth.signingIn')}</p>
      )}
    </>
  );
}
