import { useSyncExternalStore } from 'react'
import { useI18n } from '../i18n/react'
import { dismiss, getToasts, subscribeToasts } from './toast'

export function Toaster() {
  const toasts = useSyncExternalStore(subscribeToasts, getToasts, getToasts)
  const { t } = useI18n()
  return (
    <div className="toaster" role="status" aria-live="polite">
      {toasts.map((item) => (
        <div key={item.id} className={`toast toast--${item.kind}`} data-testid="toast">
          <span>{item.text}</span>
          <button
            type="button"
            className="icon-button"
            aria-label={t('common.close')}
            onClick={() => dismiss(item.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
