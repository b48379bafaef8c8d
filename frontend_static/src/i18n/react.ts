// React binding of the i18n module: components re-render when the language changes.

import { useCallback, useSyncExternalStore } from 'react'
import { getLang, lookup, setLang, subscribeLang, translate, type Lang, type Translate } from '.'

export function useI18n(): {
  t: Translate
  lang: Lang
  setLang: (lang: Lang) => void
  tx: (key: string, fallback: string, vars?: Record<string, string | number>) => string
} {
  const lang = useSyncExternalStore(subscribeLang, getLang, getLang)
  const t = useCallback<Translate>((key, vars) => translate(lang, key, vars), [lang])
  const tx = useCallback(
    (key: string, fallback: string, vars?: Record<string, string | number>) =>
      lookup(lang, key, vars) ?? fallback,
    [lang],
  )
  return { t, lang, setLang, tx }
}
