/**
 * Open subscription connections per user and per client address, across both transports
 * (a WebSocket, or an SSE stream: in distinct-connections mode each stream is one connection).
 */
export class ConnectionLimits {
  private readonly perUser = new Map<string, number>();
  private readonly perAddress = new Map<string, number>();

  constructor(readonly limits: { perUser: number; perAddress: number }) {}

  /** Before the handshake: is there room for one more from this address? */
  addressFull(address: string): boolean {
    return (this.perAddress.get(address) ?? 0) >= this.limits.perAddress;
  }

  /** Takes a place for (user, address); null when either is full. The release is idempotent. */
  acquire(user: string, address: string): (() => void) | { full: 'user' | 'address'; max: number } {
    if ((this.perUser.get(user) ?? 0) >= this.limits.perUser) return { full: 'user', max: this.limits.perUser };
    if (this.addressFull(address)) return { full: 'address', max: this.limits.perAddress };
    this.perUser.set(user, (this.perUser.get(user) ?? 0) + 1);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const u = (this.perUser.get(user) ?? 1) - 1;
      if (u > 0) this.perUser.set(user, u);
      else this.perUser.delete(user);
      const a = (this.perAddress.get(address) ?? 1) - 1;
      if (a > 0) this.perAddress.set(address, a);
      else this.perAddress.delete(address);
    };
  }
}
