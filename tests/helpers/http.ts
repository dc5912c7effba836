/**
 * Plain node:http requests for the cases where fetch hides what matters: which connection a request
 * used, streaming a body without Content-Length, or a refusal that arrives while the body is still
 * being sent. Each call can be given its own Agent, so it never shares a connection with fetch.
 */
import http from 'node:http'

export interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  /** True when the request went out on a kept-alive connection from an earlier request. */
  reusedSocket: boolean
}

export interface RawRequestOptions {
  method?: string
  headers?: Record<string, string>
  /** A string or buffer is sent with Content-Length; chunks are streamed (chunked encoding). */
  body?: string | Buffer | Iterable<Buffer>
  /** Defaults to a fresh connection that is closed afterwards. */
  agent?: http.Agent
  timeoutMs?: number
}

export function rawRequest(url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  const { method = 'GET', headers = {}, body, agent, timeoutMs = 5_000 } = options
  return new Promise((resolve, reject) => {
    let answered = false
    const req = http.request(url, { method, headers, agent: agent ?? false }, (res) => {
      answered = true
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, reusedSocket: req.reusedSocket }),
      )
      res.on('error', reject)
    })
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    req.on('error', (error) => {
      // Once the answer is in, a reset while we were still sending the body is expected.
      if (!answered) reject(error)
    })
    if (body === undefined) {
      req.end()
    } else if (typeof body === 'string' || Buffer.isBuffer(body)) {
      req.setHeader('content-length', Buffer.byteLength(body))
      req.end(body)
    } else {
      void streamBody(req, body, () => answered)
    }
  })
}

async function streamBody(req: http.ClientRequest, chunks: Iterable<Buffer>, answered: () => boolean): Promise<void> {
  for (const chunk of chunks) {
    if (answered() || req.destroyed) return
    if (!req.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          req.off('drain', done)
          req.off('close', done)
          resolve()
        }
        req.on('drain', done)
        req.on('close', done)
      })
    }
  }
  if (!req.destroyed) req.end()
}
