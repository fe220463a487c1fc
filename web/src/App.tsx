import { lazy, Suspense, useEffect, useRef } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { useAuth } from './auth';
import { useI18n } from './i18n';
import { Loading } from './components';
import { Home } from './pages/Home';
import { Callback } from './pages/Callback';

// Every page but the search is loaded when first opened: the first load stays small (see the budget in scripts/portal.ts).
const Agency = lazy(() => import('./pages/Agency'));
const MyServices = lazy(() => import('./pages/MyServices'));
const Officer = lazy(() => import('./pages/Officer'));
const Hr = lazy(() => import('./pages/Hr'));
const Admin = lazy(() => import('./pages/Admin'));
const Insights = lazy(() => import('./pages/Insights'));

export function App() {
  const { t, lang, setLang } = useI18n();
  const auth = useAuth();
  const [location] = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    // A new page: move focus to its content, as a full page load would, for keyboard and screen-reader users.
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location]);
  const links: [string, string][] = [['/', t('nav.home')]];
  if (auth.hasRole('citizen')) links.push(['/layanan-saya', t('nav.myServices')]);
  if (auth.hasRole('officer')) links.push(['/petugas', t('nav.officer')]);
  if (auth.hasRole('hr')) links.push(['/sdm', t('nav.hr')]);
  if (auth.hasRole('admin')) links.push(['/moderasi', t('nav.admin')]);
  if (auth.hasRole('analyst') || auth.hasRole('admin')) links.push(['/analisis', t('nav.insights')]);
  return (
    <>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header className="top">
        <div className="bar">
          <Link href="/" className="brand">
            {t('app.name')}
          </Link>
          <div className="tools">
            <button type="button" className="link" lang={lang === 'id' ? 'en' : 'id'} aria-label={t('lang.switchLabel')} onClick={() => setLang(lang === 'id' ? 'en' : 'id')}>
              {t('lang.switch')}
            </button>
            {auth.session ? (
              <>
                <span className="who">{t('auth.signedInAs', { name: auth.session.name })}</span>
                <button type="button" className="link" onClick={auth.signOut}>
                  {t('auth.signOut')}
                </button>
              </>
            ) : (
              <button type="button" onClick={() => auth.signIn()}>
                {t('auth.signIn')}
              </button>
            )}
          </div>
        </div>
        <nav aria-label={t('nav.main')}>
          <ul>
            {links.map(([href, label]) => (
              <li key={href}>
                <Link href={href} aria-current={location === href ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {auth.unavailable && (
          <p role="alert" className="notice error">
            {t('auth.notConfigured')}
          </p>
        )}
        <Suspense fallback={<Loading />}>
          <Switch>
            <Route path="/" component={Home} />
            <Route path="/auth/callback" component={Callback} />
            <Route path="/instansi/:id">{(params) => <Agency id={params.id} />}</Route>
            <Route path="/layanan-saya" component={MyServices} />
            <Route path="/petugas" component={Officer} />
            <Route path="/sdm" component={Hr} />
            <Route path="/moderasi" component={Admin} />
            <Route path="/analisis" component={Insights} />
            <Route>
              <h1>404</h1>
            </Route>
          </Switch>
        </Suspense>
      </main>
      <footer className="foot">
        <p>{t('footer.text')}</p>
      </footer>
    </>
  );
}
