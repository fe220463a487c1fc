import { POLI, PETUGAS, PUSKESMAS, PUSKESMAS_POGALAN, PUSKESMAS_TRENGGALEK, WARGA, type PoliCode } from './data';
import { isWellFormedNik, makeTrenggalekNik } from './nik';
import { HOUR_MS, MINUTE_MS, addDays, atWib, isIsoDate, toWibIso, wibDate } from './time';
import { prng } from '@gerbang/simkit/random';

export type BookingStatus = 'DIBOOKING' | 'DIPANGGIL' | 'DILAYANI' | 'SELESAI' | 'BATAL';
export const BOOKING_STATUSES: readonly BookingStatus[] = ['DIBOOKING', 'DIPANGGIL', 'DILAYANI', 'SELESAI', 'BATAL'];
/** The forward path of a visit; BATAL leaves it from any step before the patient is being served. */
const FORWARD: readonly BookingStatus[] = ['DIBOOKING', 'DIPANGGIL', 'DILAYANI', 'SELESAI'];

/** How far ahead a queue can be booked, as Puskesmas publish their schedules a month ahead. */
export const MAX_DAYS_AHEAD = 30;
export const MAX_STATUS_BATCH = 50;
export const MAX_FEED_LIMIT = 500;
/** Service starts at 07:30 WIB; the estimated time of a queue number counts from there. */
const SERVICE_START = { hour: 7, minute: 30 };

export interface Booking {
  kodebooking: string;
  nomorantrean: string;
  angkaantrean: number;
  nik: string;
  /** BPJS card number; null for a patient without JKN (paying or covered otherwise). */
  nomorkartu: string | null;
  kodepuskesmas: string;
  kodepoli: PoliCode;
  tanggalperiksa: string;
  status: BookingStatus;
  clientRef: string | null;
  waktudaftar: Date;
  waktudipanggil: Date | null;
  waktudilayani: Date | null;
  waktuselesai: Date | null;
  waktubatal: Date | null;
  nippetugas: string | null;
  keterangan: string | null;
  /** Position in the change feed: the global counter's value at this booking's latest change. */
  sequence: number;
  waktuupdate: Date;
}

/** What the API returns for a booking (BPJS-style lower-case field names, WIB ISO times). */
export interface BookingView {
  kodebooking: string;
  nomorantrean: string;
  angkaantrean: number;
  nik: string;
  nomorkartu: string | null;
  jenispasien: 'JKN' | 'NON JKN';
  kodepuskesmas: string;
  namapuskesmas: string;
  kodepoli: PoliCode;
  namapoli: string;
  tanggalperiksa: string;
  /** Estimated service start, epoch milliseconds as BPJS returns it. */
  estimasidilayani: number;
  status: BookingStatus;
  client_ref: string | null;
  waktudaftar: string;
  waktudipanggil: string | null;
  waktudilayani: string | null;
  waktuselesai: string | null;
  waktubatal: string | null;
  nippetugas: string | null;
  namapetugas: string | null;
  keterangan: string | null;
  sequence: number;
  waktuupdate: string;
}

/**
 * A request the queue system refuses. `httpStatus` 200 marks a business refusal (BPJS answers those
 * with HTTP 200 and `metadata.code` 201); 400/404/409 mark malformed or unknown input.
 */
export class QueueError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
    this.name = 'QueueError';
  }
}

export interface BookingInput {
  nik: string;
  nomorkartu: string | null;
  kodepuskesmas: string;
  kodepoli: PoliCode;
  tanggal: string;
  clientRef: string | null;
}

export interface StoreOptions {
  now: () => Date;
  /** Daily quota overrides keyed `<kodepuskesmas>/<kodepoli>` (e.g. a tiny quota for a test). */
  quotaOverrides?: Record<string, number>;
  /** Seed the demo and background bookings (default true). */
  seed?: boolean;
}

const PUSKESMAS_BY_CODE = new Map(PUSKESMAS.map((p) => [p.kode, p]));
const PETUGAS_BY_NIP = new Map(PETUGAS.map((p) => [p.nip, p]));

export class ClinicQueueStore {
  private readonly bookings = new Map<string, Booking>();
  private readonly byClientRef = new Map<string, { fingerprint: string; kodebooking: string }>();
  private sequence = 0;

  constructor(private readonly options: StoreOptions) {
    if (options.seed !== false) seedBookings(this, options.now());
  }

  now(): Date {
    return this.options.now();
  }

  /**
   * Dinkesdalduk's monthly recap: bookings (cancelled ones excluded) for visit days between two
   * dates, counted per Puskesmas and visit month. An aggregate: no NIK, no card number.
   */
  rekap(awal: string, akhir: string): { kodepuskesmas: string; namapuskesmas: string; kecamatan: string; bulan: string; jumlah: number }[] {
    const counts = new Map<string, { kodepuskesmas: string; namapuskesmas: string; kecamatan: string; bulan: string; jumlah: number }>();
    for (const b of this.bookings.values()) {
      if (b.status === 'BATAL' || b.tanggalperiksa < awal || b.tanggalperiksa > akhir) continue;
      const p = PUSKESMAS_BY_CODE.get(b.kodepuskesmas);
      if (!p) continue;
      const bulan = b.tanggalperiksa.slice(0, 7);
      const key = `${b.kodepuskesmas}|${bulan}`;
      const row = counts.get(key) ?? { kodepuskesmas: p.kode, namapuskesmas: p.nama, kecamatan: p.kecamatan, bulan, jumlah: 0 };
      row.jumlah++;
      counts.set(key, row);
    }
    return [...counts.values()].sort((a, b) => (a.kodepuskesmas + a.bulan).localeCompare(b.kodepuskesmas + b.bulan));
  }

  quota(kodepuskesmas: string, kodepoli: PoliCode): number {
    const override = this.options.quotaOverrides?.[`${kodepuskesmas}/${kodepoli}`];
    if (override !== undefined) return override;
    return PUSKESMAS_BY_CODE.get(kodepuskesmas)?.kuota[kodepoli] ?? 0;
  }

  /** Bookings that hold a place in the quota: every one except the cancelled. */
  private taken(kodepuskesmas: string, kodepoli: PoliCode, tanggal: string): Booking[] {
    const out: Booking[] = [];
    for (const b of this.bookings.values()) {
      if (b.kodepuskesmas === kodepuskesmas && b.kodepoli === kodepoli && b.tanggalperiksa === tanggal && b.status !== 'BATAL') out.push(b);
    }
    return out;
  }

  remaining(kodepuskesmas: string, kodepoli: PoliCode, tanggal: string): number {
    return Math.max(0, this.quota(kodepuskesmas, kodepoli) - this.taken(kodepuskesmas, kodepoli, tanggal).length);
  }

  private nextAngka(kodepuskesmas: string, kodepoli: PoliCode, tanggal: string): number {
    // Numbers of cancelled bookings are never reused: the printed ticket of a cancelled patient
    // must not collide with a new one.
    let max = 0;
    for (const b of this.bookings.values()) {
      if (b.kodepuskesmas === kodepuskesmas && b.kodepoli === kodepoli && b.tanggalperiksa === tanggal) max = Math.max(max, b.angkaantrean);
    }
    return max + 1;
  }

  puskesmasList(tanggal?: string): unknown[] {
    return PUSKESMAS.map((p) => ({
      kodepuskesmas: p.kode,
      namapuskesmas: p.nama,
      kecamatan: p.kecamatan,
      alamat: p.alamat,
      poli: (Object.keys(p.kuota) as PoliCode[]).map((kode) => {
        const kuota = this.quota(p.kode, kode);
        const base = { kodepoli: kode, namapoli: POLI[kode].nama, kuota };
        return tanggal ? { ...base, tanggal, sisakuota: this.remaining(p.kode, kode, tanggal) } : base;
      }),
    }));
  }

  /** Validates a raw `POST /antrean/ambil` body. */
  parseBookingInput(raw: unknown): BookingInput {
    if (!raw || typeof raw !== 'object') throw new QueueError('Body harus berupa objek JSON', 400);
    const body = raw as Record<string, unknown>;
    const nik = str(body.nik);
    if (!isWellFormedNik(nik)) throw new QueueError('NIK tidak valid', 400);
    const kartu = str(body.nomorkartu);
    if (kartu && !/^\d{13}$/.test(kartu)) throw new QueueError('Nomor kartu BPJS harus 13 digit', 400);
    const kodepuskesmas = str(body.kodepuskesmas);
    const puskesmas = PUSKESMAS_BY_CODE.get(kodepuskesmas);
    if (!puskesmas) throw new QueueError('Kode puskesmas tidak ditemukan', 400);
    const kodepoli = str(body.kodepoli).toUpperCase();
    if (!isPoliCode(kodepoli) || puskesmas.kuota[kodepoli] === undefined) throw new QueueError(`Poli ${kodepoli || '(kosong)'} tidak tersedia di ${puskesmas.nama}`, 400);
    const tanggal = str(body.tanggal ?? body.tanggalperiksa);
    if (!isIsoDate(tanggal)) throw new QueueError('Format tanggal harus YYYY-MM-DD', 400);
    const today = wibDate(this.now());
    if (tanggal < today) throw new QueueError('Tanggal periksa sudah lewat', 400);
    if (tanggal > addDays(today, MAX_DAYS_AHEAD)) throw new QueueError(`Tanggal periksa paling lambat ${MAX_DAYS_AHEAD} hari ke depan`, 400);
    const clientRef = body.client_ref === undefined || body.client_ref === null ? null : str(body.client_ref);
    if (clientRef !== null && (clientRef.length === 0 || clientRef.length > 64)) throw new QueueError('client_ref harus 1–64 karakter', 400);
    return { nik, nomorkartu: kartu || null, kodepuskesmas, kodepoli, tanggal, clientRef };
  }

  /**
   * Takes a queue number. Retrying with the same `client_ref` and the same data returns the same
   * booking (a client that lost the answer must not get a second number); the same `client_ref`
   * with other data is refused.
   */
  book(input: BookingInput): { booking: Booking; replay: boolean } {
    const fingerprint = JSON.stringify([input.nik, input.nomorkartu, input.kodepuskesmas, input.kodepoli, input.tanggal]);
    if (input.clientRef) {
      const seen = this.byClientRef.get(input.clientRef);
      if (seen) {
        if (seen.fingerprint !== fingerprint) throw new QueueError('client_ref sudah dipakai untuk pendaftaran lain', 409);
        return { booking: this.bookings.get(seen.kodebooking)!, replay: true };
      }
    }
    const taken = this.taken(input.kodepuskesmas, input.kodepoli, input.tanggal);
    if (taken.some((b) => b.nik === input.nik)) throw new QueueError('Peserta sudah terdaftar pada poli dan tanggal yang sama', 200);
    if (taken.length >= this.quota(input.kodepuskesmas, input.kodepoli)) throw new QueueError('Kuota penuh', 200);

    const now = this.now();
    const booking = this.insert({
      nik: input.nik,
      nomorkartu: input.nomorkartu,
      kodepuskesmas: input.kodepuskesmas,
      kodepoli: input.kodepoli,
      tanggalperiksa: input.tanggal,
      clientRef: input.clientRef,
      waktudaftar: now,
    });
    if (input.clientRef) this.byClientRef.set(input.clientRef, { fingerprint, kodebooking: booking.kodebooking });
    return { booking, replay: false };
  }

  /** Creates a booking with the next queue number; used by `book` and by the seed. */
  insert(b: Pick<Booking, 'nik' | 'nomorkartu' | 'kodepuskesmas' | 'kodepoli' | 'tanggalperiksa' | 'clientRef' | 'waktudaftar'>): Booking {
    const angka = this.nextAngka(b.kodepuskesmas, b.kodepoli, b.tanggalperiksa);
    const poli = POLI[b.kodepoli];
    const kodebooking = `${b.tanggalperiksa.replaceAll('-', '')}${b.kodepuskesmas.slice(5)}${poli.huruf}${String(angka).padStart(3, '0')}`;
    const booking: Booking = {
      ...b,
      kodebooking,
      nomorantrean: `${poli.huruf}-${String(angka).padStart(3, '0')}`,
      angkaantrean: angka,
      status: 'DIBOOKING',
      waktudipanggil: null,
      waktudilayani: null,
      waktuselesai: null,
      waktubatal: null,
      nippetugas: null,
      keterangan: null,
      sequence: ++this.sequence,
      waktuupdate: b.waktudaftar,
    };
    this.bookings.set(kodebooking, booking);
    return booking;
  }

  get(kodebooking: string): Booking | undefined {
    return this.bookings.get(kodebooking);
  }

  /** Batch status look-up, so a client asks once for all of a page's bookings. */
  statusOf(codes: unknown): { found: Booking[]; missing: string[] } {
    if (!Array.isArray(codes) || codes.some((c) => typeof c !== 'string')) throw new QueueError('kodebooking harus berupa array string', 400);
    if (codes.length === 0) throw new QueueError('kodebooking tidak boleh kosong', 400);
    if (codes.length > MAX_STATUS_BATCH) throw new QueueError(`Maksimal ${MAX_STATUS_BATCH} kode booking per permintaan`, 400);
    const found: Booking[] = [];
    const missing: string[] = [];
    for (const code of new Set(codes as string[])) {
      const b = this.bookings.get(code);
      if (b) found.push(b);
      else missing.push(code);
    }
    return { found, missing };
  }

  byNik(nik: string): Booking[] {
    if (!isWellFormedNik(nik)) throw new QueueError('NIK tidak valid', 400);
    return [...this.bookings.values()]
      .filter((b) => b.nik === nik)
      .sort((a, b) => (a.tanggalperiksa === b.tanggalperiksa ? b.waktudaftar.getTime() - a.waktudaftar.getTime() : a.tanggalperiksa < b.tanggalperiksa ? 1 : -1));
  }

  /**
   * Change feed: bookings whose latest change is after `since`, oldest change first. A booking
   * appears once, in its latest state (a compacted log), so a consumer that stores
   * `lastsequence` and asks again never misses a change.
   */
  changes(since: number, limit: number): { list: Booking[]; lastsequence: number; hasmore: boolean } {
    const all = [...this.bookings.values()].filter((b) => b.sequence > since).sort((a, b) => a.sequence - b.sequence);
    const list = all.slice(0, limit);
    return { list, lastsequence: list.length ? list[list.length - 1]!.sequence : since, hasmore: all.length > list.length };
  }

  /**
   * Moves a booking along DIBOOKING → DIPANGGIL → DILAYANI → SELESAI (skipped steps get the same
   * time), or to BATAL before service starts. Serving needs an officer's NIP; a Puskesmas with a
   * known officer uses that one when none is given.
   */
  setStatus(kodebooking: string, status: BookingStatus, opts: { nip?: string; keterangan?: string; at?: Date } = {}): Booking {
    const b = this.bookings.get(kodebooking);
    if (!b) throw new QueueError('Kode booking tidak ditemukan', 404);
    if (!BOOKING_STATUSES.includes(status)) throw new QueueError(`Status tidak dikenal: ${status}`, 400);
    const at = opts.at ?? this.now();
    if (status === 'BATAL') {
      if (b.status !== 'DIBOOKING' && b.status !== 'DIPANGGIL') throw new QueueError(`Antrean berstatus ${b.status} tidak dapat dibatalkan`, 409);
      b.status = 'BATAL';
      b.waktubatal = at;
      b.keterangan = opts.keterangan ?? 'Dibatalkan';
    } else {
      const from = FORWARD.indexOf(b.status);
      const to = FORWARD.indexOf(status);
      if (from < 0 || to <= from) throw new QueueError(`Perubahan status ${b.status} ke ${status} tidak diizinkan`, 409);
      if (to >= FORWARD.indexOf('DILAYANI') && !b.nippetugas) {
        const nip = opts.nip ?? PETUGAS.find((p) => p.kodepuskesmas === b.kodepuskesmas)?.nip;
        if (!nip) throw new QueueError('NIP petugas wajib diisi untuk puskesmas ini', 400);
        if (!/^\d{18}$/.test(nip)) throw new QueueError('NIP petugas harus 18 digit', 400);
        b.nippetugas = nip;
      }
      if (to >= 1 && !b.waktudipanggil) b.waktudipanggil = at;
      if (to >= 2 && !b.waktudilayani) b.waktudilayani = at;
      if (to >= 3 && !b.waktuselesai) b.waktuselesai = at;
      b.status = status;
      if (opts.keterangan) b.keterangan = opts.keterangan;
    }
    b.waktuupdate = at;
    b.sequence = ++this.sequence;
    return b;
  }

  /** Re-numbers the change feed in the order the seeded changes happened. */
  resequence(): void {
    const ordered = [...this.bookings.values()].sort((a, b) => a.waktuupdate.getTime() - b.waktuupdate.getTime() || (a.kodebooking < b.kodebooking ? -1 : 1));
    this.sequence = 0;
    for (const b of ordered) b.sequence = ++this.sequence;
  }

  view(b: Booking): BookingView {
    const p = PUSKESMAS_BY_CODE.get(b.kodepuskesmas)!;
    const poli = POLI[b.kodepoli];
    const start = atWib(b.tanggalperiksa, SERVICE_START.hour, SERVICE_START.minute).getTime();
    const iso = (d: Date | null) => (d ? toWibIso(d) : null);
    return {
      kodebooking: b.kodebooking,
      nomorantrean: b.nomorantrean,
      angkaantrean: b.angkaantrean,
      nik: b.nik,
      nomorkartu: b.nomorkartu,
      jenispasien: b.nomorkartu ? 'JKN' : 'NON JKN',
      kodepuskesmas: b.kodepuskesmas,
      namapuskesmas: p.nama,
      kodepoli: b.kodepoli,
      namapoli: poli.nama,
      tanggalperiksa: b.tanggalperiksa,
      estimasidilayani: start + (b.angkaantrean - 1) * poli.menitPerPasien * MINUTE_MS,
      status: b.status,
      client_ref: b.clientRef,
      waktudaftar: toWibIso(b.waktudaftar),
      waktudipanggil: iso(b.waktudipanggil),
      waktudilayani: iso(b.waktudilayani),
      waktuselesai: iso(b.waktuselesai),
      waktubatal: iso(b.waktubatal),
      nippetugas: b.nippetugas,
      namapetugas: b.nippetugas ? (PETUGAS_BY_NIP.get(b.nippetugas)?.nama ?? null) : null,
      keterangan: b.keterangan,
      sequence: b.sequence,
      waktuupdate: toWibIso(b.waktuupdate),
    };
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
}

interface PlannedVisit {
  nik: string;
  nomorkartu: string | null;
  kodepuskesmas: string;
  kodepoli: PoliCode;
  tanggal: string;
  waktudaftar: Date;
  outcome: 'SELESAI' | 'BATAL' | 'DIBOOKING';
}

/**
 * Seeds, relative to `now`, a week of past visits at the two Puskesmas whose officers are in the
 * directory (so every served booking names a known officer), upcoming bookings across the regency,
 * and the demo citizens' visits: warga.siti one visit completed 1–3 days ago, warga.budi one
 * completed 3–5 days ago and one booked for tomorrow.
 */
function seedBookings(store: ClinicQueueStore, now: Date): void {
  const rand = prng(0x3503);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const today = wibDate(now);
  let serial = 100;
  const patient = () => {
    const female = rand() < 0.55;
    const year = 1950 + Math.floor(rand() * 70);
    const birth = `${year}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
    const nik = makeTrenggalekNik(1 + Math.floor(rand() * 14), birth, female, ++serial);
    const nomorkartu = rand() < 0.8 ? `000${String(Math.floor(rand() * 1e10)).padStart(10, '0')}` : null;
    return { nik, nomorkartu };
  };
  // Evening before the visit, when most people book from home.
  const bookedEvening = (tanggal: string) => new Date(atWib(addDays(tanggal, -1), 17).getTime() + Math.floor(rand() * 5 * HOUR_MS));

  const plan: PlannedVisit[] = [];
  for (let d = 6; d >= 1; d--) {
    const tanggal = addDays(today, -d);
    for (const kodepuskesmas of [PUSKESMAS_TRENGGALEK, PUSKESMAS_POGALAN]) {
      for (let i = 0; i < 3; i++) {
        plan.push({ ...patient(), kodepuskesmas, kodepoli: pick(['UMUM', 'UMUM', 'KIA', 'GIGI'] as const), tanggal, waktudaftar: bookedEvening(tanggal), outcome: rand() < 0.2 ? 'BATAL' : 'SELESAI' });
      }
    }
  }
  for (let d = 0; d <= 3; d++) {
    const tanggal = addDays(today, d);
    for (let i = 0; i < 6; i++) {
      const p = pick(PUSKESMAS);
      const kodepoli = pick(Object.keys(p.kuota) as PoliCode[]);
      const waktudaftar = new Date(now.getTime() - (1 + Math.floor(rand() * 30)) * HOUR_MS);
      plan.push({ ...patient(), kodepuskesmas: p.kode, kodepoli, tanggal, waktudaftar, outcome: 'DIBOOKING' });
    }
  }
  const siti = addDays(today, -2);
  plan.push({ ...WARGA.siti, kodepuskesmas: PUSKESMAS_TRENGGALEK, kodepoli: 'UMUM', tanggal: siti, waktudaftar: atWib(addDays(siti, -1), 19, 12), outcome: 'SELESAI' });
  const budi = addDays(today, -4);
  plan.push({ ...WARGA.budi, kodepuskesmas: PUSKESMAS_POGALAN, kodepoli: 'GIGI', tanggal: budi, waktudaftar: atWib(addDays(budi, -1), 20, 3), outcome: 'SELESAI' });
  plan.push({ ...WARGA.budi, kodepuskesmas: PUSKESMAS_POGALAN, kodepoli: 'UMUM', tanggal: addDays(today, 1), waktudaftar: new Date(now.getTime() - HOUR_MS), outcome: 'DIBOOKING' });

  // Queue numbers follow booking order, as the real system hands them out.
  plan.sort((a, b) => a.waktudaftar.getTime() - b.waktudaftar.getTime());
  for (const v of plan) {
    const b = store.insert({ nik: v.nik, nomorkartu: v.nomorkartu, kodepuskesmas: v.kodepuskesmas, kodepoli: v.kodepoli, tanggalperiksa: v.tanggal, clientRef: null, waktudaftar: v.waktudaftar });
    if (v.outcome === 'BATAL') {
      store.setStatus(b.kodebooking, 'BATAL', { at: atWib(v.tanggal, 6, 30), keterangan: 'Pasien tidak datang' });
    } else if (v.outcome === 'SELESAI') {
      // Called in queue order from 07:30, a few minutes of slack per patient.
      const menit = POLI[v.kodepoli].menitPerPasien;
      const called = atWib(v.tanggal, 7, 30).getTime() + (b.angkaantrean - 1) * menit * MINUTE_MS + Math.floor(rand() * 4) * MINUTE_MS;
      store.setStatus(b.kodebooking, 'DIPANGGIL', { at: new Date(called) });
      store.setStatus(b.kodebooking, 'DILAYANI', { at: new Date(called + 2 * MINUTE_MS) });
      store.setStatus(b.kodebooking, 'SELESAI', { at: new Date(called + (2 + menit + Math.floor(rand() * 10)) * MINUTE_MS) });
    }
  }
  store.resequence();
}

function isPoliCode(code: string): code is PoliCode {
  return code in POLI;
}
