import { describe, expect, it } from 'vitest';
import { agencyTicketId, localTicketId } from '../src';

describe('ticket ids', () => {
  it('are <agency>:<local id>, and give the local id back only for their own agency', () => {
    const id = agencyTicketId('dpmptsp', 'PRM-2026-00420');
    expect(id).toBe('dpmptsp:PRM-2026-00420');
    expect(localTicketId('dpmptsp', id)).toBe('PRM-2026-00420');
    expect(localTicketId('bpkpd', id)).toBeNull();
    expect(localTicketId('dpmptsp', 'dpmptsp-x:1')).toBeNull();
    expect(localTicketId('dpmptsp', 'dpmptsp:')).toBeNull();
  });

  it('refuses a local id the agency system may not be sent', () => {
    const valid = /^[A-Za-z0-9-]{1,40}$/;
    expect(localTicketId('dpmptsp', 'dpmptsp:PRM-1', valid)).toBe('PRM-1');
    expect(localTicketId('dpmptsp', "dpmptsp:PRM-1' OR 1=1", valid)).toBeNull();
  });
});
