/** Records every message a coordinator receives, as bytes and decoded, to check what crossed the wire. */
export class WireAudit {
  readonly messages: { method: string; bytes: Buffer; message: unknown }[] = [];

  /** The hook to pass as `onReceive`. */
  readonly record = (method: string, bytes: Buffer, message: unknown): void => {
    this.messages.push({ method, bytes, message });
  };

  /** The values whose float64 encoding (little-endian, as protobuf writes doubles) appears in some received message. */
  doublesFound(values: number[]): number[] {
    return values.filter((v) => {
      const pattern = Buffer.alloc(8);
      pattern.writeDoubleLE(v);
      return this.messages.some((m) => m.bytes.includes(pattern));
    });
  }

  /** Every field name of the decoded messages, at any depth. */
  fieldNames(): Set<string> {
    const names = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === "object" && !Buffer.isBuffer(v)) {
        for (const [k, x] of Object.entries(v)) {
          names.add(k);
          walk(x);
        }
      }
    };
    for (const m of this.messages) walk(m.message);
    return names;
  }

  /** Messages received of each kind (registration, proposal, fault). */
  kinds(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const m of this.messages) {
      const kind = (m.message as { message?: string }).message ?? "unknown";
      out[kind] = (out[kind] ?? 0) + 1;
    }
    return out;
  }
}
