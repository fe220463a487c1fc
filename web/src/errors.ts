import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client/errors';
import type { Lang } from './lang';

/**
 * What a citizen reads when the graph refuses: one plain sentence per `extensions.code` (README's
 * Errors table), in the interface's language, never the server's English message. Where a retry
 * is safe and useful the portal offers one (mutations carry an idempotency key, so a retry never
 * does a thing twice).
 */
const MESSAGES: Record<string, Record<Lang, string>> = {
  UNAUTHENTICATED: { id: 'Sesi Anda berakhir. Silakan masuk lagi.', en: 'Your session has ended. Please sign in again.' },
  FORBIDDEN: { id: 'Anda tidak berhak melihat atau mengubah ini.', en: 'You may not see or change this.' },
  NOT_FOUND: { id: 'Data yang dicari tidak ditemukan.', en: 'Not found.' },
  BAD_USER_INPUT: { id: 'Isian belum benar. Periksa lagi lalu kirim ulang.', en: 'Something in the form is not right. Check it and send again.' },
  ALREADY_RATED: { id: 'Tiket ini sudah Anda nilai.', en: 'You have already rated this ticket.' },
  RATING_WINDOW_CLOSED: { id: 'Batas waktu penilaian (7 hari setelah selesai) sudah lewat.', en: 'The rating window (7 days after completion) has closed.' },
  TICKET_NOT_COMPLETED: { id: 'Layanan belum selesai, jadi belum bisa dinilai.', en: 'The service is not completed yet, so it cannot be rated.' },
  OWN_AGENCY: { id: 'Anda tidak dapat menilai layanan instansi tempat Anda bekerja.', en: 'You cannot rate a service of the agency you work at.' },
  IDEMPOTENCY_CONFLICT: { id: 'Permintaan ini bertabrakan dengan kiriman sebelumnya. Muat ulang halaman.', en: 'This request clashes with an earlier one. Reload the page.' },
  PERIOD_NOT_CLOSED: { id: 'Bulan ini belum bisa difinalkan: jendela penilaian belum ditutup.', en: 'This month cannot be finalised yet: its rating window is still open.' },
  ALREADY_FINALIZED: { id: 'Laporan bulan ini sudah final.', en: 'This month’s report is already final.' },
  UPSTREAM_UNAVAILABLE: { id: 'Sistem instansi sedang tidak dapat dihubungi. Coba lagi sebentar lagi.', en: 'The agency’s system cannot be reached. Try again shortly.' },
  UPSTREAM_INVALID: {
    id: 'Sistem instansi mengirim jawaban yang tidak dapat dibaca. Coba lagi nanti; petugas sudah diberi tahu.',
    en: 'The agency’s system sent an answer that cannot be read. Try again later; the operators have been told.',
  },
  QUERY_TOO_COMPLEX: { id: 'Permintaan terlalu besar. Perbarui aplikasi.', en: 'The request is too large. Update the app.' },
  PERSISTED_QUERY_REQUIRED: { id: 'Versi portal ini sudah usang. Muat ulang halaman.', en: 'This version of the portal is out of date. Reload the page.' },
  PERSISTED_QUERY_NOT_FOUND: { id: 'Versi portal ini sudah usang. Muat ulang halaman.', en: 'This version of the portal is out of date. Reload the page.' },
  INSIGHTS_BUDGET_EXCEEDED: {
    id: 'Anggaran pertanyaan analisis hari ini habis. Coba lagi setelah anggaran pulih, atau persempit periodenya.',
    en: 'Today’s insights question budget is used up. Try again after it resets, or ask about a shorter period.',
  },
  RATE_LIMITED: { id: 'Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.', en: 'Too many requests. Wait a moment and try again.' },
  OVERLOADED: { id: 'Layanan sedang sibuk. Coba lagi sebentar lagi.', en: 'The service is busy. Try again shortly.' },
  ATTACHMENT_TYPE_NOT_ALLOWED: {
    id: 'Berkas harus PDF, JPEG, atau PNG (isi berkas diperiksa, bukan hanya namanya).',
    en: 'The file must be a PDF, JPEG or PNG (its content is checked, not only its name).',
  },
  ATTACHMENT_TOO_LARGE: { id: 'Berkas terlalu besar. Ukuran paling besar 5 MB.', en: 'The file is too large. The limit is 5 MB.' },
  ATTACHMENT_MISMATCH: { id: 'Berkas berubah selama diunggah. Pilih berkasnya lagi.', en: 'The file changed while it was uploaded. Choose it again.' },
  ATTACHMENT_NOT_UPLOADED: { id: 'Berkas belum terunggah. Coba lagi.', en: 'The file has not been uploaded yet. Try again.' },
  SIGNED_URL_EXPIRED: { id: 'Tautan berkas sudah kedaluwarsa. Coba lagi.', en: 'The file link has expired. Try again.' },
  SIGNED_URL_INVALID: { id: 'Tautan berkas tidak sah.', en: 'The file link is not valid.' },
  NETWORK: { id: 'Tidak ada koneksi ke server. Periksa internet Anda lalu coba lagi.', en: 'No connection to the server. Check your internet and try again.' },
  INTERNAL_SERVER_ERROR: { id: 'Terjadi kesalahan pada server. Coba lagi nanti.', en: 'Something went wrong on the server. Try again later.' },
};

/** Codes where sending the same request again (with the same idempotency key) may succeed. */
const RETRYABLE = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_INVALID', 'RATE_LIMITED', 'OVERLOADED', 'NETWORK', 'INTERNAL_SERVER_ERROR', 'ATTACHMENT_NOT_UPLOADED', 'SIGNED_URL_EXPIRED']);

export interface PortalError {
  code: string;
  message: string;
  retryable: boolean;
  /** The agency system named by UPSTREAM_UNAVAILABLE or UPSTREAM_INVALID (extensions.service). */
  service?: string;
  /** The input field named by BAD_USER_INPUT. */
  field?: string;
}

function describeCode(code: string, lang: Lang): string {
  return (MESSAGES[code] ?? MESSAGES.INTERNAL_SERVER_ERROR!)[lang];
}

/** The first refusal inside an Apollo error, as the citizen should read it. */
export function portalError(error: unknown, lang: Lang): PortalError {
  let code = 'INTERNAL_SERVER_ERROR';
  let extensions: Record<string, unknown> = {};
  if (CombinedGraphQLErrors.is(error)) {
    extensions = error.errors[0]?.extensions ?? {};
    if (typeof extensions.code === 'string') code = extensions.code;
  } else if (ServerError.is(error) || ServerParseError.is(error)) {
    // A refusal before execution arrives with an HTTP error status and a GraphQL body.
    try {
      const body = JSON.parse((error as { bodyText: string }).bodyText) as { errors?: { extensions?: Record<string, unknown> }[] };
      extensions = body.errors?.[0]?.extensions ?? {};
      if (typeof extensions.code === 'string') code = extensions.code;
    } catch {
      code = 'INTERNAL_SERVER_ERROR';
    }
  } else if (error instanceof TypeError || (error instanceof Error && /fetch|network/i.test(error.message))) {
    code = 'NETWORK';
  }
  return {
    code,
    message: describeCode(code, lang),
    retryable: RETRYABLE.has(code),
    ...(typeof extensions.service === 'string' ? { service: extensions.service } : {}),
    ...(typeof extensions.field === 'string' ? { field: extensions.field } : {}),
  };
}

/** Errors of a partial answer by the root field they nulled (errorPolicy "all"). */
export function errorsByField(error: unknown): Map<string, { code: string; service?: string }> {
  const out = new Map<string, { code: string; service?: string }>();
  if (!CombinedGraphQLErrors.is(error)) return out;
  for (const e of error.errors) {
    const root = e.path?.[0];
    if (typeof root !== 'string' || out.has(root)) continue;
    const ext = (e.extensions ?? {}) as Record<string, unknown>;
    out.set(root, { code: typeof ext.code === 'string' ? ext.code : 'INTERNAL_SERVER_ERROR', ...(typeof ext.service === 'string' ? { service: ext.service } : {}) });
  }
  return out;
}
