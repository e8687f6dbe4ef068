/** A little-endian byte builder for the binary writers: append fields, then take one Buffer. */
export class Bytes {
  private readonly parts: Buffer[] = []
  private size = 0

  get length (): number { return this.size }

  raw (buffer: Uint8Array): this {
    const part = Buffer.from(buffer)
    this.parts.push(part)
    this.size += part.length
    return this
  }

  int32 (value: number): this { const b = Buffer.alloc(4); b.writeInt32LE(value); return this.raw(b) }
  uint8 (value: number): this { const b = Buffer.alloc(1); b.writeUInt8(value); return this.raw(b) }
  uint16 (value: number): this { const b = Buffer.alloc(2); b.writeUInt16LE(value); return this.raw(b) }
  uint64 (value: number): this { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(value)); return this.raw(b) }
  float64 (value: number): this { const b = Buffer.alloc(8); b.writeDoubleLE(value); return this.raw(b) }
  ascii (text: string): this { return this.raw(Buffer.from(text, 'latin1')) }

  /** `text` as UTF-8 in exactly `width` bytes, filled with `fill` (the caller has made it fit). */
  fixed (text: string, width: number, fill = 0): this {
    const b = Buffer.alloc(width, fill)
    const encoded = Buffer.from(text, 'utf8')
    if (encoded.length > width) throw new Error(`${JSON.stringify(text)} does not fit in ${width} bytes`)
    encoded.copy(b)
    return this.raw(b)
  }

  toBuffer (): Buffer { return Buffer.concat(this.parts, this.size) }
}
