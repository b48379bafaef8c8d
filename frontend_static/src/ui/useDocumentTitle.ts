import { useEffect } from 'react'

/** "<page> · Cueflow" in the browser tab while the page is shown. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Cueflow` : 'Cueflow'
  }, [title])
}
