import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { api } from './api/client'
import { App } from './app/App'
import { restoreSession, sessionEnded } from './app/session'
import { getLang } from './i18n'
import './styles/base.css'
import './styles/pages.css'

document.documentElement.lang = getLang()
api.onUnauthenticated(sessionEnded)
void restoreSession()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
