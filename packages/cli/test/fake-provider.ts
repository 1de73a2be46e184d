import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { repoRoot } from './helpers'

/**
 * A small HTTP server answering with the providers' own shapes (the bodies of specs/<provider>/
 * fixtures), for what the sandbox does not serve yet: PortOne V2 billing keys and iamport payments.
 * Ids say what happens to them:
 * - PortOne billing key: `missing…` → 404 BILLING_KEY_NOT_FOUND; `gone…` → a DELETED key (and any
 *   key named in `deleted`); `boom…` → 500; else an ISSUED card key.
 * - iamport merchant_uid: `missing…` → 404 (no payment); `failed…` → a failed payment; else paid.
 */
export async function startFakeProvider(options: { deleted?: Set<string> } = {}) {
  const fixture = (provider: string, name: string) =>
    JSON.parse(readFileSync(`${repoRoot}/specs/${provider}/fixtures/${name}.json`, 'utf8')).response
      .body
  const issued = fixture('portone', 'getBillingKeyInfo-200-issued')
  const deleted = fixture('portone', 'getBillingKeyInfo-200-deleted')
  const paid = fixture('iamport', 'findPayment-200').response
  const requests: { method: string; path: string; authorization: string | undefined }[] = []
  const server = createServer((request: IncomingMessage, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    requests.push({
      method: request.method ?? '',
      path: url.pathname,
      authorization: request.headers.authorization,
    })
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' })
      response.end(JSON.stringify(body))
    }
    const portoneKey = /^\/portone\/billing-keys\/([^/]+)$/.exec(url.pathname)?.[1]
    const merchantUid = /^\/iamport\/payments\/find\/([^/]+)$/.exec(url.pathname)?.[1]
    if (url.pathname === '/iamport/users/getToken') {
      const now = Math.floor(Date.now() / 1000)
      return send(200, {
        code: 0,
        message: null,
        response: { access_token: 'fake-token', now, expired_at: now + 1800 },
      })
    }
    if (portoneKey && request.method === 'GET') {
      const billingKey = decodeURIComponent(portoneKey)
      if (billingKey.startsWith('missing')) {
        return send(404, { type: 'BILLING_KEY_NOT_FOUND', message: '빌링키가 존재하지 않는 경우' })
      }
      if (billingKey.startsWith('boom')) return send(500, { type: 'INTERNAL', message: 'boom' })
      const gone = billingKey.startsWith('gone') || options.deleted?.has(billingKey)
      return send(200, { ...(gone ? deleted : issued), billingKey })
    }
    if (merchantUid && request.method === 'GET') {
      const uid = decodeURIComponent(merchantUid)
      if (uid.startsWith('missing'))
        return send(404, { code: 1, message: '결제건이 존재하지 않습니다.', response: null })
      const payment = uid.startsWith('failed')
        ? {
            ...paid,
            status: 'failed',
            paid_at: 0,
            failed_at: 1700000000,
            fail_reason: '[F113] 카드 잔액이 부족합니다',
          }
        : paid
      return send(200, { code: 0, message: null, response: { ...payment, merchant_uid: uid } })
    }
    send(404, { type: 'NOT_FOUND', message: 'no such path' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    requests,
    portoneBaseUrl: `${url}/portone`,
    iamportBaseUrl: `${url}/iamport`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
