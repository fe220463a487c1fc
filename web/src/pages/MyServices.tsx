import { useState, type FormEvent } from 'react';
import { skipToken, useApolloClient, useLazyQuery, useQuery } from '@apollo/client/react';
import {
  ApplyPermitDocument,
  BookClinicDocument,
  CheckTaxBillDocument,
  ClinicsDocument,
  MyServicesDocument,
  RateTicketDocument,
  RequestDocumentDocument,
  type DocumentType,
  type MyServicesQuery,
  type PermitType,
} from '../gql/graphql';
import { useAuth } from '../auth';
import { useI18n, type MessageKey } from '../i18n';
import { errorsByField } from '../errors';
import { ErrorNotice, Loading, Rupiah, Section, SignInPrompt, Status } from '../components';
import { useIdempotentAction } from '../mutation';
import { SKM_ELEMENTS, skmLabel } from '../skm';
import { LiveStatus, useLiveTickets } from '../live-status';
import { AttachmentPicker, attachToTicket, MyAttachments } from '../attachments';

type Ticket = NonNullable<MyServicesQuery['me']>['tickets'][number];

/** Which agency system answers each section (named when it is down). */
const SYSTEMS: Record<string, string> = {
  me: 'SIAK (Dispendukcapil)',
  myDocumentRequests: 'SIAK (Dispendukcapil)',
  myPermitApplications: 'SIMPERDA (DPMPTSP)',
  myClinicBookings: 'Antrean Puskesmas',
  myTaxObjects: 'SISMIOP (BPKPD)',
};

/** "Layanan saya": the citizen's tickets at every agency, and one section per agency system. */
export default function MyServices() {
  const { t, date } = useI18n();
  const auth = useAuth();
  const { data, loading, error, refetch } = useQuery(MyServicesDocument, auth.hasRole('citizen') ? { errorPolicy: 'all', notifyOnNetworkStatusChange: true } : skipToken);
  // Live status: each change of a ticket updates the list in place (live.ts).
  const live = useLiveTickets(data?.me?.id, data?.me?.tickets);
  if (!auth.session) return <SignInPrompt />;
  if (!auth.hasRole('citizen')) return <p>{t('auth.wrongRole', { role: 'warga' })}</p>;
  if (loading && !data) return <Loading />;
  const down = errorsByField(error);
  // A system that cannot be reached and one that answers what cannot be read are both out for the citizen.
  const outage = (field: string) => (['UPSTREAM_UNAVAILABLE', 'UPSTREAM_INVALID'].includes(down.get(field)?.code ?? '') ? SYSTEMS[field] : undefined);
  // Nothing at all came back (a network failure, a refusal before execution).
  if (!data && error) return <ErrorNotice error={error} onRetry={() => void refetch()} />;
  const tickets = data?.me?.tickets ?? [];
  return (
    <>
      <h1>{t('my.title')}</h1>
      <Section title={t('my.tickets')} down={outage('me')} id="tickets">
        <LiveStatus state={live.state} last={live.last} />
        {tickets.length === 0 ? (
          <p>{t('my.noTickets')}</p>
        ) : (
          <ul className="list" data-testid="tickets">
            {tickets.map((ticket) => (
              <TicketItem key={ticket.id} ticket={ticket} />
            ))}
          </ul>
        )}
      </Section>

      <Section title={t('my.documents')} down={outage('myDocumentRequests')} id="documents">
        <Records items={(data?.myDocumentRequests ?? []).map((d) => ({ key: d.id, title: `${t(`doc.${d.type}` as MessageKey)} · ${d.number}`, status: d.status, when: date(d.submittedAt) }))} />
        <DocumentForm onDone={() => void refetch()} />
      </Section>

      <Section title={t('my.permits')} down={outage('myPermitApplications')} id="permits">
        <Records
          items={(data?.myPermitApplications ?? []).map((p) => ({
            key: p.id,
            title: `${t(`permit.${p.permitType}` as MessageKey)} · ${p.number}`,
            detail: `${p.description} · ${p.location}`,
            status: p.status,
            when: date(p.submittedAt),
          }))}
        />
        <PermitForm onDone={() => void refetch()} />
      </Section>

      <Section title={t('attach.mine')} id="attachments">
        <MyAttachments />
      </Section>

      <Section title={t('my.clinic')} down={outage('myClinicBookings')} id="clinic">
        <Records
          items={(data?.myClinicBookings ?? []).map((b) => ({
            key: b.id,
            title: `${b.clinicName} · ${b.poliName}`,
            detail: t('clinic.number', { n: b.queueNumber, code: b.bookingCode }),
            status: b.status,
            when: date(b.date),
          }))}
        />
        <ClinicForm onDone={() => void refetch()} />
      </Section>

      <Section title={t('my.tax')} down={outage('myTaxObjects')} id="tax">
        <ul className="list compact">
          {(data?.myTaxObjects ?? []).map((o) => (
            <li key={o.nop}>
              <strong>{o.nop}</strong> · {o.address}
              <ul>
                {o.bills.map((b) => (
                  <li key={b.year}>
                    {b.year}: <Rupiah value={b.amount} /> · {b.paid ? t('tax.paid') : `${t('tax.unpaid')} (${t('tax.due')} ${date(b.dueDate)})`}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
        <TaxBillCheck />
      </Section>
    </>
  );
}

function Records({ items }: { items: { key: string; title: string; detail?: string; status: string; when: string }[] }) {
  const { t } = useI18n();
  if (items.length === 0) return <p className="muted">{t('my.none')}</p>;
  return (
    <ul className="list compact">
      {items.map((i) => (
        <li key={i.key}>
          <strong>{i.title}</strong> <Status value={i.status} />
          <br />
          {i.detail && (
            <>
              {i.detail}
              <br />
            </>
          )}
          <span className="muted">{i.when}</span>
        </li>
      ))}
    </ul>
  );
}

function TicketItem({ ticket }: { ticket: Ticket }) {
  const { t, date } = useI18n();
  const [rating, setRating] = useState(false);
  return (
    <li className="ticket" data-agency={ticket.agency.id} data-ticket={ticket.id}>
      <div>
        <strong>{ticket.service?.name ?? ticket.id}</strong> <Status value={ticket.status} />
      </div>
      <div className="muted">
        {ticket.agency.name} · {ticket.completedAt ? t('my.completed', { date: date(ticket.completedAt) }) : t('my.submitted', { date: date(ticket.submittedAt) })}
        {ticket.officer ? ` · ${t('my.officer', { name: ticket.officer.name })}` : ''}
      </div>
      {ticket.myRating ? (
        <p>{t('my.rated', { stars: ticket.myRating.stars })}</p>
      ) : ticket.canRate && !rating ? (
        <button type="button" onClick={() => setRating(true)} aria-label={`${t('my.rate')}: ${ticket.service?.name ?? ticket.id}`}>
          {t('my.rate')}
        </button>
      ) : null}
      {rating && !ticket.myRating && <RateForm ticket={ticket} onClose={() => setRating(false)} />}
    </li>
  );
}

/** Stars, a comment, and the optional nine SKM questions (1–4 each). */
function RateForm({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useI18n();
  const client = useApolloClient();
  const [stars, setStars] = useState(0);
  const [comment, setComment] = useState('');
  const [withSkm, setWithSkm] = useState(false);
  const [skm, setSkm] = useState<number[]>(Array(9).fill(0));
  const [problem, setProblem] = useState<MessageKey>();
  const action = useIdempotentAction((idempotencyKey) =>
    client.mutate({
      mutation: RateTicketDocument,
      variables: { input: { ticketId: ticket.id, stars, ...(comment.trim() ? { comment: comment.trim() } : {}), ...(withSkm ? { skm } : {}), idempotencyKey } },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (stars < 1) return setProblem('rate.chooseStars');
    if (withSkm && skm.some((v) => v < 1)) return setProblem('rate.skmIncomplete');
    setProblem(undefined);
    void action.submit();
  };
  const name = ticket.service?.name ?? ticket.id;
  return (
    <form className="rate" onSubmit={submit} aria-label={t('rate.title', { service: name })}>
      <fieldset>
        <legend>{t('rate.stars')}</legend>
        <div className="stars-input">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n}>
              <input type="radio" name={`stars-${ticket.id}`} value={n} checked={stars === n} onChange={() => setStars(n)} />
              <span aria-hidden="true">{'★'.repeat(n)}</span>
              <span className="sr-only">{t('rating.stars', { n })}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label htmlFor={`comment-${ticket.id}`}>{t('rate.comment')}</label>
      <textarea id={`comment-${ticket.id}`} value={comment} maxLength={1000} rows={3} onChange={(e) => setComment(e.target.value)} />
      <label className="check">
        <input type="checkbox" checked={withSkm} onChange={(e) => setWithSkm(e.target.checked)} /> {t('rate.skmToggle')}
      </label>
      {withSkm && (
        <fieldset className="skm">
          <legend>{t('rate.skmLegend')}</legend>
          {SKM_ELEMENTS.map((el, i) => (
            <fieldset key={el} className="skm-q">
              <legend>
                {i + 1}. {t(skmLabel(el))}
              </legend>
              {[1, 2, 3, 4].map((v) => (
                <label key={v}>
                  <input type="radio" name={`skm-${ticket.id}-${i}`} value={v} checked={skm[i] === v} onChange={() => setSkm((prev) => prev.map((x, j) => (j === i ? v : x)))} />{' '}
                  {t(`skm.answer${v}` as MessageKey)}
                </label>
              ))}
            </fieldset>
          ))}
        </fieldset>
      )}
      {problem && (
        <p role="alert" className="notice error">
          {t(problem)}
        </p>
      )}
      {action.error ? <ErrorNotice error={action.error} onRetry={() => void action.submit()} /> : null}
      <div className="row">
        <button type="submit" disabled={action.sending}>
          {action.sending ? t('form.sending') : t('rate.submit')}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          {t('rate.cancel')}
        </button>
      </div>
    </form>
  );
}

function Done({ text }: { text: string }) {
  const { t } = useI18n();
  return (
    <p role="status" className="notice ok">
      {t('form.done', { what: text })}
    </p>
  );
}

function DocumentForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const client = useApolloClient();
  const [type, setType] = useState<DocumentType>('KK');
  const [note, setNote] = useState('');
  const [files, setFiles] = useState<string[]>([]);
  const action = useIdempotentAction(async (idempotencyKey) => {
    const r = await client.mutate({ mutation: RequestDocumentDocument, variables: { input: { type, ...(note.trim() ? { note: note.trim() } : {}), idempotencyKey } } });
    if (r.data) await attachToTicket(client, r.data.requestDocument.id, files);
    onDone();
    return r.data?.requestDocument;
  });
  return (
    <details className="action">
      <summary>{t('doc.title')}</summary>
      <form onSubmit={(e) => (e.preventDefault(), void action.submit())}>
        <label htmlFor="doc-type">{t('doc.type')}</label>
        <select id="doc-type" value={type} onChange={(e) => setType(e.target.value as DocumentType)}>
          {(['KTP_EL', 'KK', 'AKTA_LAHIR'] as const).map((d) => (
            <option key={d} value={d}>
              {t(`doc.${d}`)}
            </option>
          ))}
        </select>
        <label htmlFor="doc-note">{t('doc.note')}</label>
        <input id="doc-note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        <AttachmentPicker key={action.result?.id} purpose="DOCUMENT_REQUEST" idPrefix="doc-attach" onChange={setFiles} />
        {action.error ? <ErrorNotice error={action.error} onRetry={() => void action.submit()} /> : null}
        {action.result && <Done text={action.result.number} />}
        <button type="submit" disabled={action.sending}>
          {action.sending ? t('form.sending') : t('doc.submit')}
        </button>
      </form>
    </details>
  );
}

function PermitForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const client = useApolloClient();
  const [permitType, setPermitType] = useState<PermitType>('REKLAME');
  const [description, setDescription] = useState('');
  const [location, setLocation] = useState('');
  const [files, setFiles] = useState<string[]>([]);
  const action = useIdempotentAction(async (idempotencyKey) => {
    const r = await client.mutate({ mutation: ApplyPermitDocument, variables: { input: { permitType, description: description.trim(), location: location.trim(), idempotencyKey } } });
    if (r.data) await attachToTicket(client, r.data.applyForPermit.id, files);
    onDone();
    return r.data?.applyForPermit;
  });
  return (
    <details className="action">
      <summary>{t('permit.title')}</summary>
      <form onSubmit={(e) => (e.preventDefault(), void action.submit())}>
        <label htmlFor="permit-type">{t('permit.type')}</label>
        <select id="permit-type" value={permitType} onChange={(e) => setPermitType(e.target.value as PermitType)}>
          {(['REKLAME', 'PENELITIAN', 'PBG'] as const).map((p) => (
            <option key={p} value={p}>
              {t(`permit.${p}`)}
            </option>
          ))}
        </select>
        <label htmlFor="permit-description">{t('permit.description')}</label>
        <input id="permit-description" required value={description} maxLength={500} onChange={(e) => setDescription(e.target.value)} />
        <label htmlFor="permit-location">{t('permit.location')}</label>
        <input id="permit-location" required value={location} maxLength={200} onChange={(e) => setLocation(e.target.value)} />
        <AttachmentPicker key={action.result?.id} purpose="PERMIT_APPLICATION" idPrefix="permit-attach" onChange={setFiles} />
        {action.error ? <ErrorNotice error={action.error} onRetry={() => void action.submit()} /> : null}
        {action.result && <Done text={action.result.number} />}
        <button type="submit" disabled={action.sending}>
          {action.sending ? t('form.sending') : t('permit.submit')}
        </button>
      </form>
    </details>
  );
}

function jakartaDate(offsetDays = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date(Date.now() + offsetDays * 86_400_000));
}

function ClinicForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const client = useApolloClient();
  const [day, setDay] = useState(jakartaDate(1));
  const [load, { data, error, loading }] = useLazyQuery(ClinicsDocument);
  const [choice, setChoice] = useState('');
  const [bpjs, setBpjs] = useState('');
  const action = useIdempotentAction(async (idempotencyKey) => {
    const [clinicCode, poliCode] = choice.split('/');
    const r = await client.mutate({
      mutation: BookClinicDocument,
      variables: { input: { clinicCode: clinicCode!, poliCode: poliCode!, date: day, ...(bpjs.trim() ? { bpjsNumber: bpjs.trim() } : {}), idempotencyKey } },
    });
    onDone();
    return r.data?.bookClinicQueue;
  });
  return (
    <details className="action" onToggle={(e) => (e.currentTarget.open ? void load({ variables: { date: day } }) : undefined)}>
      <summary>{t('clinic.title')}</summary>
      <form onSubmit={(e) => (e.preventDefault(), void action.submit())}>
        <label htmlFor="clinic-date">{t('clinic.date')}</label>
        <input
          id="clinic-date"
          type="date"
          value={day}
          min={jakartaDate(0)}
          max={jakartaDate(7)}
          onChange={(e) => {
            setDay(e.target.value);
            void load({ variables: { date: e.target.value } });
          }}
        />
        {loading && <Loading />}
        {error && <ErrorNotice error={error} onRetry={() => void load({ variables: { date: day } })} />}
        <label htmlFor="clinic-poli">{t('clinic.poli')}</label>
        <select id="clinic-poli" required value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">–</option>
          {(data?.clinics ?? []).map((c) => (
            <optgroup key={c.code} label={c.name}>
              {c.polyclinics.map((p) => (
                <option key={p.code} value={`${c.code}/${p.code}`} disabled={p.remainingQuota === 0}>
                  {p.name} ({t('clinic.quota', { n: p.remainingQuota ?? '?' })})
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <label htmlFor="clinic-bpjs">{t('clinic.bpjs')}</label>
        <input id="clinic-bpjs" inputMode="numeric" pattern="[0-9]{13}" value={bpjs} onChange={(e) => setBpjs(e.target.value)} />
        {action.error ? <ErrorNotice error={action.error} onRetry={() => void action.submit()} /> : null}
        {action.result && <Done text={t('clinic.number', { n: action.result.queueNumber, code: action.result.bookingCode })} />}
        <button type="submit" disabled={action.sending}>
          {action.sending ? t('form.sending') : t('clinic.submit')}
        </button>
      </form>
    </details>
  );
}

function TaxBillCheck() {
  const { t, date } = useI18n();
  const [nop, setNop] = useState('');
  const [year, setYear] = useState(Number(jakartaDate(0).slice(0, 4)));
  const [check, { data, error, loading, called }] = useLazyQuery(CheckTaxBillDocument, { errorPolicy: 'all' });
  const bill = data?.taxBill;
  return (
    <details className="action">
      <summary>{t('tax.title')}</summary>
      <form onSubmit={(e) => (e.preventDefault(), void check({ variables: { nop: nop.trim(), year } }))}>
        <label htmlFor="tax-nop">{t('tax.nop')}</label>
        <input id="tax-nop" required value={nop} inputMode="numeric" onChange={(e) => setNop(e.target.value)} />
        <label htmlFor="tax-year">{t('tax.year')}</label>
        <input id="tax-year" type="number" min={2000} max={2100} value={year} onChange={(e) => setYear(Number(e.target.value))} />
        <button type="submit">{t('tax.submit')}</button>
      </form>
      {loading && <Loading />}
      {error && !bill && <ErrorNotice error={error} onRetry={() => void check({ variables: { nop: nop.trim(), year } })} />}
      {bill && (
        <div role="status">
          <dl className="facts">
            <div>
              <dt>{t('tax.taxpayer')}</dt>
              <dd>{bill.taxpayerName}</dd>
            </div>
            <div>
              <dt>{t('tax.amount')}</dt>
              <dd>
                <Rupiah value={bill.amount} />
              </dd>
            </div>
            <div>
              <dt>{t('tax.due')}</dt>
              <dd>{date(bill.dueDate)}</dd>
            </div>
            <div>
              <dt>{t('tax.penalty')}</dt>
              <dd>
                <Rupiah value={bill.penalty} />
              </dd>
            </div>
            <div>
              <dt>{bill.paid ? t('tax.paid') : t('tax.unpaid')}</dt>
              <dd>{bill.paidAt ? date(bill.paidAt) : '–'}</dd>
            </div>
          </dl>
        </div>
      )}
      {called && !loading && !bill && !error && <p>{t('tax.notFound')}</p>}
    </details>
  );
}
