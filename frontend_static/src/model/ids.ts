// Element ids the engine accepts (^[A-Za-z0-9_.:-]{1,64}$), unique within a graph.

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'

function randomSuffix(length: number, random: () => number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(random() * ALPHABET.length)]
  return out
}

/** A fresh id such as `task_k3x9`, not in `taken`. */
export function newId(
  prefix: string,
  taken: ReadonlySet<string>,
  random: () => number = Math.random,
): string {
  for (let length = 4; ; length++) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const id = `${prefix}_${randomSuffix(length, random)}`
      if (!taken.has(id)) return id
    }
  }
}

/** The next key `c1`, `c2`, ... not used in `taken` (checklist item ids, field keys). */
export function nextKey(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken)
  for (let i = 1; ; i++) if (!used.has(`${prefix}${i}`)) return `${prefix}${i}`
}
