/** `npm start`: serve the web app, the API and sync on one port, configured by the environment. */
import { configFromEnv } from './config.ts'
import { startServer } from './server.ts'

const config = configFromEnv()
const server = await startServer(config)
const shown =
  config.host === '0.0.0.0' || config.host === '::' ? server.url.replace(/\/\/[^:]+:/, '//localhost:') : server.url

server.log.info({ url: server.url, dataDir: config.dataDir }, 'Scopeboard is listening')
if (server.tokenSource === 'env') {
  console.log(`\nScopeboard is running at ${shown}/  (sign in with your SCOPEBOARD_TOKEN: ${shown}/?token=…)\n`)
} else {
  // Like Jupyter: the one place the token is shown is the terminal of whoever started the server.
  console.log(`\nScopeboard is running. Open this link to sign in:\n\n    ${shown}/?token=${server.workspaceToken}\n`)
}

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1)
    stopping = true
    server.log.info({ signal }, 'shutting down')
    server.close().then(
      () => process.exit(0),
      (error) => {
        server.log.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  })
}
