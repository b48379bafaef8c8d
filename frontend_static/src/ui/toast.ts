// Short messages that confirm an action or report a failure, shown for a few seconds.

export type ToastKind = 'success' | 'error' | 'info'

export interface Toast {
  id: number
  kind: ToastKind
  text: string
}

let toasts: Toast[] = []
let nextId = 1
const listeners = new Set<() => void>()

function emit(): void {
  for (const listener of listeners) listener()
}

export function getToasts(): Toast[] {
  return toasts
}

export function subscribeToasts(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function dismiss(id: number): void {
  toasts = toasts.filter((t) => t.id !== id)
  emit()
}

/** Take away every toast of a kind (an error the person has since put right). */
export function dismissKind(kind: ToastKind): void {
  toasts = toasts.filter((t) => t.kind !== kind)
  emit()
}

export function toast(text: string, kind: ToastKind = 'info', ms = 4000): void {
  const id = nextId++
  toasts = [...toasts.slice(-3), { id, kind, text }]
  emit()
  setTimeout(() => dismiss(id), ms)
}
