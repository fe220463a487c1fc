import { useRef, useState } from 'react';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import type { ApolloClient } from '@apollo/client';
import {
  AttachmentDownloadDocument,
  AttachToTicketDocument,
  CompleteAttachmentUploadDocument,
  CreateAttachmentUploadDocument,
  MyAttachmentsDocument,
  type AttachmentKind,
  type AttachmentPurpose,
} from './gql/graphql';
import { useI18n, type MessageKey } from './i18n';
import { ErrorNotice, Loading, newIdempotencyKey } from './components';

/**
 * Attachments (the documents subgraph): a citizen picks the scans a request needs, each is
 * uploaded on its own signed short-lived URL as soon as it is picked (declare → PUT → check), and
 * the request, once filed, is linked to them. The server judges type (by content) and size; the
 * checks here only spare a doomed upload.
 */
const MAX_BYTES = 5 * 1024 * 1024;
const TYPES = ['application/pdf', 'image/jpeg', 'image/png'];
const KINDS: AttachmentKind[] = ['KK', 'KTP', 'LETTER', 'PHOTO', 'OTHER'];

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** Declares, uploads and checks one file. `idempotencyKey` is the file's own, kept across retries. */
async function uploadFile(client: ApolloClient, file: File, purpose: AttachmentPurpose, kind: AttachmentKind, idempotencyKey: string): Promise<string> {
  const sha256 = hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
  const created = await client.mutate({
    mutation: CreateAttachmentUploadDocument,
    variables: { input: { purpose, kind, fileName: file.name, contentType: file.type || 'application/octet-stream', size: file.size, sha256, idempotencyKey } },
  });
  const { attachment, upload } = created.data!.createAttachmentUpload;
  if (upload) {
    const res = await fetch(upload.url, { method: upload.method, headers: Object.fromEntries(upload.headers.map((h) => [h.name, h.value])), body: file });
    if (!res.ok) {
      // The store's refusal (signed-URL and size checks) is a GraphQL-shaped error: shown by its code.
      const body = (await res.json().catch(() => ({}))) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
      throw new CombinedGraphQLErrors({ errors: body.errors ?? [{ message: 'upload failed', extensions: { code: 'UPSTREAM_UNAVAILABLE' } }] });
    }
  }
  if (attachment.status === 'READY') return attachment.id;
  await client.mutate({ mutation: CompleteAttachmentUploadDocument, variables: { id: attachment.id } });
  return attachment.id;
}

/** Links the filed request's ticket to its attachments (safe to repeat). */
export async function attachToTicket(client: ApolloClient, ticketId: string, attachmentIds: string[]): Promise<void> {
  if (attachmentIds.length) await client.mutate({ mutation: AttachToTicketDocument, variables: { ticketId, attachmentIds }, refetchQueries: [MyAttachmentsDocument] });
}

interface Item {
  key: string;
  file: File;
  kind: AttachmentKind;
  state: 'uploading' | 'ready' | 'error';
  id?: string;
  error?: unknown;
  problem?: string;
}

/** The file picker of a form: reports the ids of the files uploaded and checked so far. */
export function AttachmentPicker({ purpose, idPrefix, onChange }: { purpose: AttachmentPurpose; idPrefix: string; onChange: (ids: string[]) => void }) {
  const { t } = useI18n();
  const client = useApolloClient();
  const [kind, setKind] = useState<AttachmentKind>('KK');
  const [items, setItems] = useState<Item[]>([]);
  const current = useRef<Item[]>([]);
  const update = (next: Item[]) => {
    current.current = next;
    setItems(next);
    onChange(next.filter((i) => i.state === 'ready').map((i) => i.id!));
  };
  const patch = (key: string, change: Partial<Item>) => update(current.current.map((i) => (i.key === key ? { ...i, ...change } : i)));
  const send = async (item: Item) => {
    patch(item.key, { state: 'uploading', error: undefined });
    try {
      patch(item.key, { state: 'ready', id: await uploadFile(client, item.file, purpose, item.kind, item.key) });
    } catch (error) {
      patch(item.key, { state: 'error', error });
    }
  };
  const pick = (files: FileList | null) => {
    const added: Item[] = [...(files ?? [])].map((file) => {
      const problem = file.size > MAX_BYTES ? t('attach.tooLarge', { name: file.name }) : !TYPES.includes(file.type) ? t('attach.wrongType', { name: file.name }) : undefined;
      return { key: newIdempotencyKey(), file, kind, state: problem ? 'error' : 'uploading', ...(problem ? { problem } : {}) };
    });
    update([...current.current, ...added]);
    for (const item of added) if (!item.problem) void send(item);
  };
  return (
    <fieldset className="attachments">
      <legend>{t('attach.title')}</legend>
      <label htmlFor={`${idPrefix}-kind`}>{t('attach.kind')}</label>
      <select id={`${idPrefix}-kind`} value={kind} onChange={(e) => setKind(e.target.value as AttachmentKind)}>
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`attach.${k}` as MessageKey)}
          </option>
        ))}
      </select>
      <label htmlFor={`${idPrefix}-file`}>{t('attach.label')}</label>
      <input id={`${idPrefix}-file`} type="file" multiple accept={TYPES.join(',')} onChange={(e) => (pick(e.target.files), (e.target.value = ''))} />
      {items.length > 0 && (
        <ul className="list" aria-live="polite">
          {items.map((item) => (
            <li key={item.key} data-attachment-state={item.state}>
              {item.state === 'uploading' && <span role="status">{t('attach.uploading', { name: item.file.name })}</span>}
              {item.state === 'ready' && (
                <span>
                  {t('attach.ready', { name: item.file.name })} · {t(`attach.${item.kind}` as MessageKey)}
                </span>
              )}
              {item.problem && (
                <p role="alert" className="notice error">
                  {item.problem}
                </p>
              )}
              {item.state === 'error' && !item.problem && <ErrorNotice error={item.error} onRetry={() => void send(item)} />}
              <button type="button" className="link" onClick={() => update(current.current.filter((i) => i.key !== item.key))}>
                {t('attach.remove', { name: item.file.name })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

/** "Lampiran saya": the citizen's files, each downloaded on a fresh short-lived link. */
export function MyAttachments() {
  const { t, date } = useI18n();
  const client = useApolloClient();
  const { data, loading, error, refetch } = useQuery(MyAttachmentsDocument, { errorPolicy: 'all' });
  const [failed, setFailed] = useState<unknown>();
  if (loading && !data) return <Loading />;
  if (!data?.myAttachments) return error ? <ErrorNotice error={error} onRetry={() => void refetch()} /> : null;
  const download = async (id: string) => {
    setFailed(undefined);
    try {
      const r = await client.query({ query: AttachmentDownloadDocument, variables: { id }, fetchPolicy: 'network-only' });
      const url = r.data?.attachment?.download?.url;
      if (url) window.location.assign(url);
    } catch (e) {
      setFailed(e);
    }
  };
  // Files whose upload has not passed the checks (or never arrived) are not attachments yet.
  const ready = data.myAttachments.filter((a) => a.status === 'READY');
  if (ready.length === 0) return <p>{t('attach.none')}</p>;
  return (
    <>
      {failed ? <ErrorNotice error={failed} /> : null}
      <ul className="list" data-testid="attachments">
        {ready.map((a) => (
          <li key={a.id}>
            <strong>{a.fileName}</strong>
            <p className="muted">
              {t(`attach.${a.kind}` as MessageKey)} · {date(a.createdAt)} · {a.ticket ? t('attach.attachedTo', { ticket: a.ticket.id.split(':').slice(1).join(':') }) : t('attach.notAttached')}
            </p>
            <button type="button" onClick={() => void download(a.id)}>
              {t('attach.download', { name: a.fileName })}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
