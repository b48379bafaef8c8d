// The app's two languages: Chinese (zh-CN, the default) and English. Every string the
// app shows comes from these catalogues; `en` must have every key `zh-CN` has.

import { en } from './en'
import { zhCN, type MessageKey } from './zh-CN'

export type { MessageKey }
export type Lang = 'zh-CN' | 'en'
export const LANGS: readonly Lang[] = ['zh-CN', 'en']

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en }
const STORAGE_KEY = 'cueflow.lang'

export type Vars = Record<string, string | number>
export type Translate = (key: MessageKey, vars?: Vars) => string

function initialLang(): Lang {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY)
    if (stored === 'en' || stored === 'zh-CN') return stored
  } catch {
    // no storage (tests, privacy mode): the default
  }
  return 'zh-CN'
}

let current: Lang = initialLang()
const listeners = new Set<() => void>()

export function format(template: string, vars?: Vars): string {
  if (!vars) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  )
}

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  return format(CATALOGUES[lang][key] ?? CATALOGUES['zh-CN'][key] ?? key, vars)
}

/** Look up a key built at run time (a node kind, a problem code); null when unknown. */
export function lookup(lang: Lang, key: string, vars?: Vars): string | null {
  const template = (CATALOGUES[lang] as Record<string, string>)[key]
  return template === undefined ? null : format(template, vars)
}

export function getLang(): Lang {
  return current
}

export function setLang(lang: Lang): void {
  if (lang === current) return
  current = lang
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang)
  } catch {
    // not remembered; still switched
  }
  if (typeof document !== 'undefined') document.documentElement.lang = lang
  for (const listener of listeners) listener()
}

export function subscribeLang(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export const t: Translate = (key, vars) => translate(current, key, vars)
