import { afterEach, beforeEach, expect } from 'vitest'
import {
  DEMO_BOOTPAY_BASIC_CREDENTIALS,
  DEMO_BOOTPAY_CREDENTIALS,
  DEMO_IAMPORT_CREDENTIALS,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from '../src/index'

export const MINUTE = 60_000
export const DAY = 24 * 60 * MINUTE
/** Noon in Seoul; every test sandbox starts its clock here. */
export const START = Date.parse('2025-06-15T12:00:00+09:00')

export interface TestSandbox {
  sandbox: Sandbox
  /** The sandbox clock (epoch ms); tests move it. */
  clock: { now: number }
  log: string[]
}

/**
 * A fresh sandbox per test, on an injected clock (from `start`, default START), with every
 * response checked against the spec: a test fails if the sandbox sent anything off-contract.
 */
export function useSandbox(
  options: Omit<SandboxOptions, 'now' | 'log'> & { start?: () => number } = {},
): TestSandbox {
  const { start = () => START, ...sandboxOptions } = options
  const context = { clock: { now: START }, log: [] as string[] } as TestSandbox
  beforeEach(async () => {
    context.clock.now = start()
    context.log = []
    context.sandbox = await startSandbox({
      validateResponses: true,
      ...sandboxOptions,
      now: () => context.clock.now,
      log: (line) => context.log.push(line),
    })
  })
  afterEach(async () => {
    await context.sandbox.close()
    expect(context.sandbox.violations).toEqual([])
  })
  return context
}

export interface Answer {
  status: number
  headers: Headers
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  body: any
}

export async function call(
  url: string,
  init: {
    method?: string
    headers?: Record<string, string>
    json?: unknown
    form?: Record<string, string>
  } = {},
): Promise<Answer> {
  const headers = { ...init.headers }
  let body: string | undefined
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(init.json)
  } else if (init.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded'
    body = new URLSearchParams(init.form).toString()
  }
  const response = await fetch(url, {
    method: init.method ?? (body ? 'POST' : 'GET'),
    headers,
    body,
  })
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  }
}

export async function iamportToken(sandbox: Sandbox): Promise<string> {
  const answer = await call(`${sandbox.iamport.baseUrl}/users/getToken`, {
    json: {
      imp_key: DEMO_IAMPORT_CREDENTIALS.apiKey,
      imp_secret: DEMO_IAMPORT_CREDENTIALS.apiSecret,
    },
  })
  return answer.body.response.access_token
}

export async function bootpayToken(sandbox: Sandbox): Promise<string> {
  const answer = await call(`${sandbox.bootpay.baseUrl}/v2/request/token`, {
    json: {
      application_id: DEMO_BOOTPAY_CREDENTIALS.applicationId,
      private_key: DEMO_BOOTPAY_CREDENTIALS.privateKey,
    },
  })
  return answer.body.access_token
}

export const basicAuth = `Basic ${Buffer.from(
  `${DEMO_BOOTPAY_BASIC_CREDENTIALS.clientKey}:${DEMO_BOOTPAY_BASIC_CREDENTIALS.secretKey}`,
).toString('base64')}`
