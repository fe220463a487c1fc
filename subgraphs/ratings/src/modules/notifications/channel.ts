/**
 * Where notifications go: a channel delivers one message, identified by its idempotency key, so a
 * retry of a message the channel already accepted is answered with the first message id and not
 * sent again. The regency's SMS/WhatsApp gateway is the one channel here (simulators/sms-gateway);
 * another (e-mail, push) implements the same interface.
 */
export interface NotificationMessage {
  idempotencyKey: string;
  channel: 'sms' | 'whatsapp';
  /** E.164 (`+628…`). */
  to: string;
  text: string;
}

export interface NotificationChannel {
  readonly name: string;
  /** Resolves with the channel's message id; rejects with ChannelError. */
  send(message: NotificationMessage, signal?: AbortSignal): Promise<{ messageId: string; duplicate: boolean }>;
}

/** A send that failed: `retryable` (timeouts, outages, throttling) or not (the message itself is refused). */
export class ChannelError extends Error {
  constructor(
    readonly retryable: boolean,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'ChannelError';
  }
}

/** The regency's SMS/WhatsApp gateway: `POST {url}/v1/messages` with a bearer API key and an `Idempotency-Key`. */
export class SmsGatewayChannel implements NotificationChannel {
  readonly name = 'sms-gateway';

  constructor(private readonly options: { url: string; apiKey: string; timeoutMs: number }) {}

  async send(message: NotificationMessage, signal?: AbortSignal): Promise<{ messageId: string; duplicate: boolean }> {
    let res: Response;
    try {
      const timeout = AbortSignal.timeout(this.options.timeoutMs);
      res = await fetch(`${this.options.url.replace(/\/$/, '')}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.apiKey}`, 'idempotency-key': message.idempotencyKey },
        body: JSON.stringify({ channel: message.channel, to: message.to, text: message.text }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      // Not answered: it may or may not have been sent; the retry carries the same key.
      const name = (err as Error).name;
      throw new ChannelError(true, name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs} ms` : `unreachable (${(err as Error).message})`);
    }
    const body = (await res.json().catch(() => ({}))) as { message_id?: string; duplicate?: boolean; error?: string };
    if ((res.status === 200 || res.status === 202) && typeof body.message_id === 'string') return { messageId: body.message_id, duplicate: body.duplicate === true };
    const reason = `answered ${res.status}${body.error ? ` ${body.error}` : ''}`;
    // 401/403: our key (an operator fixes it, the message stays good); 408/429/5xx: try later.
    const retryable = res.status === 401 || res.status === 403 || res.status === 408 || res.status === 429 || res.status >= 500 || res.status < 400;
    throw new ChannelError(retryable, reason);
  }
}
