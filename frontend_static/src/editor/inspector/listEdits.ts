// The edits of a list of items in the inspector (a task's required fields and metrics, the
// runbook's variables): change one item, remove one, add one at the end. Each hands the
// whole new list on with the name of the field it changed (`2.label`, `remove`, `add`), so
// typing into one input of one item stays one undo step.

export interface ListEdits<T> {
  patch: (index: number, patch: Partial<T>, what: string) => void
  remove: (index: number) => void
  add: (item: T) => void
}

export function listEdits<T>(
  items: readonly T[],
  onChange: (items: T[], field: string) => void,
): ListEdits<T> {
  return {
    patch: (index, patch, what) =>
      onChange(
        items.map((x, j) => (j === index ? { ...x, ...patch } : x)),
        `${index}.${what}`,
      ),
    remove: (index) =>
      onChange(
        items.filter((_, j) => j !== index),
        'remove',
      ),
    add: (item) => onChange([...items, item], 'add'),
  }
}

/** What a key input keeps of the typed text: ASCII letters, digits and `_`. */
export function keyText(typed: string): string {
  return typed.replace(/[^A-Za-z0-9_]/g, '')
}
