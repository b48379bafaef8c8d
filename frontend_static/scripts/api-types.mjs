// Generates src/api/schema.d.ts (the API's types) from Cueflow's OpenAPI document, so the
// editor's use of the API is type-checked against the schemas the server declares: a
// schema change that breaks the app fails `npm run build`.
//
//   node scripts/api-types.mjs               # asks the Flask app (../.venv) for its document
//   node scripts/api-types.mjs openapi.json  # or reads a saved one

import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const web = resolve(here, '..')
const root = resolve(web, '..')
const scratch = mkdtempSync(join(tmpdir(), 'cueflow-openapi-'))
try {
  let spec = process.argv[2]
  if (!spec) {
    spec = join(scratch, 'openapi.json')
    execFileSync(
      join(root, '.venv', 'bin', 'flask'),
      ['--app', 'wsgi', 'openapi', 'write', '--format=json', spec],
      // A scratch instance folder: the app may start an embedded Redis there.
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, CUEFLOW_INSTANCE_PATH: scratch },
      },
    )
  }
  execFileSync(
    process.execPath,
    [
      join(web, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'),
      spec,
      '-o',
      join(web, 'src', 'api', 'schema.d.ts'),
      '--silent',
    ],
    { cwd: web, stdio: 'inherit' },
  )
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
