import { useEffect, useState, type FormEvent } from 'react'
import { templatesApi } from '../api/runbooks'
import type { RunbookInput, Template } from '../api/types'
import { useI18n } from '../i18n/react'
import { errorText } from '../ui/errors'
import { Modal } from '../ui/Modal'

export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,，\s]+/)
        .map((tag) => tag.replace(/^#/, '').trim())
        .filter(Boolean),
    ),
  ]
}

export function CreateRunbookDialog(props: {
  onClose: () => void
  onCreate: (input: RunbookInput) => Promise<void>
}) {
  const { t, lang, tx } = useI18n()
  const [templates, setTemplates] = useState<Template[]>([])
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [tags, setTags] = useState('')
  const [template, setTemplate] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    templatesApi()
      .list()
      .then(setTemplates)
      .catch(() => setTemplates([]))
  }, [])

  async function submit(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await props.onCreate({
        name: name.trim(),
        description: description.trim(),
        tags: parseTags(tags),
        ...(template ? { template } : {}),
      })
    } catch (failure) {
      setError(errorText(failure, t, tx))
      setBusy(false)
    }
  }

  return (
    <Modal title={t('create.title')} onClose={props.onClose} wide>
      <form className="form" onSubmit={submit} id="create-runbook">
        <label className="field">
          <span>{t('create.name')}</span>
          <input
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoFocus
          />
        </label>
        <label className="field">
          <span>{t('create.description')}</span>
          <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('create.tags')}</span>
          <input
            value={tags}
            placeholder={t('create.tagsHint')}
            onChange={(e) => setTags(e.target.value)}
          />
        </label>
        <fieldset className="template-choice">
          <legend>{t('create.startFrom')}</legend>
          <label className={`template-option${template === '' ? ' is-on' : ''}`}>
            <input
              type="radio"
              name="template"
              value=""
              checked={template === ''}
              onChange={() => setTemplate('')}
            />
            <strong>{t('create.blank')}</strong>
            <small>{t('create.blankHint')}</small>
          </label>
          {templates.map((item) => (
            <label
              key={item.key}
              className={`template-option${template === item.key ? ' is-on' : ''}`}
            >
              <input
                type="radio"
                name="template"
                value={item.key}
                checked={template === item.key}
                onChange={() => {
                  setTemplate(item.key)
                  if (!name.trim()) setName(lang === 'en' ? item.title_en : item.title_zh)
                  if (!tags.trim()) setTags(item.tags.join(', '))
                }}
              />
              <strong>{lang === 'en' ? item.title_en : item.title_zh}</strong>
              <small title={item.description}>
                {t('list.nodes', { count: item.node_count })} · {item.description}
              </small>
            </label>
          ))}
        </fieldset>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="modal__foot">
          <button type="button" className="button" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={busy || !name.trim()}>
            {t('create.submit')}
          </button>
        </div>
      </form>
    </Modal>
  )
}
