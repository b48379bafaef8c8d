// A secret or link shown once, read-only, with a button that copies it.

import { useI18n } from '../i18n/react'
import { toast } from '../ui/toast'

export function CopyField({
  label,
  value,
  testId,
}: {
  label: string
  value: string
  testId: string
}) {
  const { t } = useI18n()
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value)
      toast(t('admin.copied'), 'success')
    } catch {
      toast(t('admin.copyFailed'), 'error')
    }
  }
  return (
    <div className="field copy-field">
      <span className="field__label">{label}</span>
      <div className="copy-field__row">
        <input readOnly value={value} data-testid={testId} onFocus={(e) => e.target.select()} />
        <button type="button" className="button" onClick={copy}>
          {t('admin.copy')}
        </button>
      </div>
    </div>
  )
}

/** What a role may not open: said politely instead of an empty page. */
export function NotAllowed({ text }: { text: string }) {
  return (
    <div className="page">
      <p className="page-message" role="alert" data-testid="not-allowed">
        {text}
      </p>
    </div>
  )
}
