/** A binary min-heap of (size, row) pairs, ordered by size then row: the shortest row to pivot on next. */
export class MinHeap {
  private readonly items: Array<readonly [number, number]> = []

  private less (a: readonly [number, number], b: readonly [number, number]): boolean {
    return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])
  }

  push (size: number, row: number): void {
    const items = this.items
    items.push([size, row])
    let i = items.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.less(items[i] as readonly [number, number], items[parent] as readonly [number, number])) break
      ;[items[i], items[parent]] = [items[parent] as readonly [number, number], items[i] as readonly [number, number]]
      i = parent
    }
  }

  pop (): readonly [number, number] | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (top === undefined || last === undefined || items.length === 0) return top
    items[0] = last
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < items.length && this.less(items[l] as readonly [number, number], items[m] as readonly [number, number])) m = l
      if (r < items.length && this.less(items[r] as readonly [number, number], items[m] as readonly [number, number])) m = r
      if (m === i) break
      ;[items[i], items[m]] = [items[m] as readonly [number, number], items[i] as readonly [number, number]]
      i = m
    }
    return top
  }
}
