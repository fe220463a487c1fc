import { useQuery } from '@apollo/client/react';
import { AgencyDetailDocument } from '../gql/graphql';
import { useI18n, type MessageKey } from '../i18n';
import { ErrorNotice, Loading, RatingLine, Rupiah, Section } from '../components';
import { skmLabel } from '../skm';

/** An agency: its services (requirements, SLA, fee), officers with their stars, and the year's IKM. */
export default function Agency({ id }: { id: string }) {
  const { t, number } = useI18n();
  const year = Number(new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Asia/Jakarta' }).format(new Date()));
  const { data, loading, error, refetch } = useQuery(AgencyDetailDocument, { variables: { id, year }, errorPolicy: 'all', fetchPolicy: 'cache-and-network' });
  if (loading && !data) return <Loading />;
  const agency = data?.agency;
  if (!agency) return error ? <ErrorNotice error={error} onRetry={() => void refetch()} /> : <p>{t('agency.notFound')}</p>;
  const s = agency.satisfaction;
  return (
    <>
      <h1>
        {agency.name} <span className="muted">({agency.abbreviation})</span>
      </h1>
      <p>
        <RatingLine rating={agency.rating} />
      </p>
      <p className="muted">
        {agency.address}
        {agency.phone ? ` · ${agency.phone}` : ''}
      </p>

      <Section title={t('agency.ikm', { year })} id="ikm">
        <dl className="facts">
          <div>
            <dt>{t('agency.ikmIndex')}</dt>
            <dd className="big" data-testid="ikm-index">
              {s.index == null ? '–' : number(s.index, 2)}
            </dd>
          </div>
          <div>
            <dt>{t('agency.ikmCategory')}</dt>
            <dd>{s.category ? t(`category.${s.category}` as MessageKey) : '–'}</dd>
          </div>
          <div>
            <dt>{t('agency.ikmRespondents')}</dt>
            <dd data-testid="ikm-respondents" data-count={s.respondents}>
              {t('agency.ikmRespondentsOf', { n: number(s.respondents), need: number(s.requiredSample) })}
            </dd>
          </div>
        </dl>
        {s.respondents === 0 ? (
          <p>{t('agency.ikmNoData')}</p>
        ) : (
          <>
            {s.provisional && <p className="notice">{t('agency.ikmProvisional')}</p>}
            <h3>{t('agency.ikmElements')}</h3>
            <ul className="elements">
              {s.elements.map((e) => (
                <li key={e.element}>
                  <span>{t(skmLabel(e.element))}</span>
                  <span className="meter" aria-hidden="true">
                    <span style={{ width: `${((e.value ?? 0) / 4) * 100}%` }} />
                  </span>
                  <span>{e.value == null ? '–' : number(e.value, 2)}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </Section>

      <Section title={t('agency.services')}>
        <ul className="list">
          {agency.services.map((svc) => (
            <li key={svc.id} className="service">
              <h3>{svc.name}</h3>
              <p>{svc.description}</p>
              <dl className="facts">
                <div>
                  <dt>{t('agency.sla')}</dt>
                  <dd>{t('agency.slaDays', { n: svc.slaDays })}</dd>
                </div>
                <div>
                  <dt>{t('agency.fee')}</dt>
                  <dd>{svc.fee === 0 ? t('agency.free') : <Rupiah value={svc.fee} />}</dd>
                </div>
              </dl>
              {svc.requirements.length > 0 && (
                <>
                  <h4>{t('agency.requirements')}</h4>
                  <ul>
                    {svc.requirements.map((r) => (
                      <li key={r}>{r}</li>
                    ))}
                  </ul>
                </>
              )}
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('agency.officers')}>
        <ul className="list compact">
          {agency.officers.map((o) => (
            <li key={o.id}>
              <strong>{o.name}</strong> <span className="muted">· {o.position}</span>
              <br />
              <RatingLine rating={o.rating} />
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('agency.ratings')}>
        <ul className="list compact">
          {[...agency.rating.distribution]
            .sort((a, b) => b.stars - a.stars)
            .map((d) => (
              <li key={d.stars}>
                {t('rating.stars', { n: d.stars })}: {number(d.count)}
              </li>
            ))}
        </ul>
      </Section>
    </>
  );
}
