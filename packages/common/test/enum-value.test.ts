import { describe, expect, it } from 'vitest';
import { enumValue } from '../src/enum-value';

enum Channel {
  SMS = 'sms',
  WHATSAPP = 'whatsapp',
}

describe('enumValue', () => {
  it('returns a stored string that is one of the enum values as that member', () => {
    const channel: Channel = enumValue(Channel, 'whatsapp', 'notification channel');
    expect(channel).toBe(Channel.WHATSAPP);
  });

  it('refuses a string the enum does not have, naming what it was and the value (member names are not values)', () => {
    expect(() => enumValue(Channel, 'WHATSAPP', 'notification channel')).toThrow('notification channel: unknown value "WHATSAPP"');
    expect(() => enumValue(Channel, '', 'notification channel')).toThrow('notification channel: unknown value ""');
  });
});
