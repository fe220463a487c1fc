import { createHmac } from 'node:crypto';
import type { Sql } from '@gerbang/common';
import { Sealer } from '../../lib/sealed';
import { maskPhone } from './phone';

export type ChannelKind = 'sms' | 'whatsapp';

export interface Settings {
  enabled: boolean;
  channel: ChannelKind;
  /** Masked (`+6281******890`); null until the citizen gives a number. */
  phone: string | null;
  updatedAt: Date | null;
}

/** A citizen who never chose: notifications on, by SMS, but nothing is sent until a number is given. */
const DEFAULT_SETTINGS: Settings = { enabled: true, channel: 'sms', phone: null, updatedAt: null };

/** The sealing of phone numbers: its own key (HKDF from the pepper), bound to the citizen's row. */
const phoneSealer = (pepper: string) => new Sealer(pepper, 'notification-phone');

/** A citizen's notification settings, by their keyed reference (the tables never see the NIK). */
export class NotificationSettingsService {
  private readonly sealer: Sealer;

  constructor(
    private readonly db: Sql,
    private readonly pepper: string,
  ) {
    this.sealer = phoneSealer(pepper);
  }

  async get(citizenRef: string): Promise<Settings> {
    const row = await this.db.one<{ enabled: boolean; channel: ChannelKind; phone: string | null; updatedAt: Date }>(
      `select enabled, channel, phone_masked as phone, updated_at as "updatedAt" from ${this.db.t('notification_settings')} where citizen_ref = ?`,
      [citizenRef],
      ['updatedAt'],
    );
    return row ?? { ...DEFAULT_SETTINGS };
  }

  /**
   * Sets what is given and keeps the rest. Idempotent: the same input again changes nothing (not
   * even `updatedAt`). `phone` must already be normalised (phone.ts).
   */
  async set(citizenRef: string, input: { enabled: boolean; channel?: ChannelKind | null; phone?: string | null }): Promise<Settings> {
    const t = this.db.t('notification_settings');
    const current = await this.db.one<{ enabled: boolean; channel: ChannelKind; phoneRef: string | null }>(`select enabled, channel, phone_ref as "phoneRef" from ${t} where citizen_ref = ?`, [
      citizenRef,
    ]);
    const phoneRef = input.phone ? this.phoneRef(input.phone) : null;
    const unchanged = current?.enabled === input.enabled && (!input.channel || input.channel === current.channel) && (!phoneRef || phoneRef === current.phoneRef);
    if (unchanged) return this.get(citizenRef);
    const sealed = input.phone ? this.sealer.seal(input.phone, citizenRef) : null;
    await this.db.all(
      `insert into ${t} as cur (citizen_ref, enabled, channel, phone_sealed, phone_masked, phone_ref, updated_at)
       values (?, ?, ?, ?, ?, ?, now())
       on conflict (citizen_ref) do update set
         enabled = excluded.enabled,
         channel = excluded.channel,
         phone_sealed = coalesce(excluded.phone_sealed, cur.phone_sealed),
         phone_masked = coalesce(excluded.phone_masked, cur.phone_masked),
         phone_ref = coalesce(excluded.phone_ref, cur.phone_ref),
         updated_at = now()`,
      [citizenRef, input.enabled, input.channel ?? current?.channel ?? 'sms', sealed, input.phone ? maskPhone(input.phone) : null, phoneRef],
    );
    return this.get(citizenRef);
  }

  /** A keyed hash of the number: tells "the same number again" without opening the sealed one. */
  private phoneRef(phone: string): string {
    return createHmac('sha256', this.pepper).update(`phone:${phone}`).digest('base64url');
  }

  /** What the sender needs: the choice and the phone, opened (never logged). */
  async contact(citizenRef: string): Promise<{ enabled: boolean; channel: ChannelKind; phone: string | null } | null> {
    const row = await this.db.one<{ enabled: boolean; channel: ChannelKind; sealed: Buffer | null }>(
      `select enabled, channel, phone_sealed as sealed from ${this.db.t('notification_settings')} where citizen_ref = ?`,
      [citizenRef],
    );
    if (!row) return null;
    return { enabled: row.enabled, channel: row.channel, phone: row.sealed ? this.sealer.open(Buffer.from(row.sealed), citizenRef) : null };
  }
}
