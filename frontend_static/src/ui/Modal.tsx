// A modal dialog on the native <dialog> element: focus trapping, Esc and the role come free.

import { useEffect, useRef, type ReactNode } from 'react'
import { useI18n } from '../i18n/react'

export function Modal(props: {
  title: string
  onClose: () => void
  children: ReactNode
  footer?: ReactNode
  wide?: boolean
  testId?: string
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const { t } = useI18n()
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])
  return (
    <dialog
      ref={ref}
      className={`modal${props.wide ? ' modal--wide' : ''}`}
      aria-labelledby="modal-title"
      data-testid={props.testId}
      onCancel={(event) => {
        event.preventDefault()
        props.onClose()
      }}
    >
      <header className="modal__head">
        <h2 id="modal-title">{props.title}</h2>
        <button
          type="button"
          className="icon-button"
          aria-label={t('common.close')}
          onClick={props.onClose}
        >
          ×
        </button>
      </header>
      <div className="modal__body">{props.children}</div>
      {props.footer && <footer className="modal__foot">{props.footer}</footer>}
    </dialog>
  )
}
