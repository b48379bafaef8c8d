// An API failure in the reader's language: known codes translated, otherwise the detail.

import { ApiError, NETWORK_ERROR } from '../api/client'
import type { Translate } from '../i18n'

export function errorText(
  error: unknown,
  t: Translate,
  tx: (key: string, fallback: string) => string,
): string {
  if (!(error instanceof ApiError)) return t('error.unexpected')
  if (error.code === NETWORK_ERROR) return t('error.network')
  const known = tx(`error.${error.code}`, '')
  if (known) return known
  const fields = error.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message))
  return [error.body.detail || error.body.title || error.message, ...fields].join(' · ')
}
