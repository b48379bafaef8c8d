/** Offer a JSON document as a file download. */
export function downloadJson(filename: string, document_: unknown): void {
  const blob = new Blob([JSON.stringify(document_, null, 2)], { type: 'application/json' })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** A file name from a runbook name: keeps letters of any script, drops the rest. */
export function fileNameFor(name: string, extension = 'json'): string {
  const base =
    name
      .trim()
      .replace(/[\\/:*?"<>|\s]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'runbook'
  return `${base}.${extension}`
}

export async function readJsonFile(file: File): Promise<unknown> {
  return JSON.parse(await file.text())
}
