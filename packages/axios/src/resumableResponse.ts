import type { Readable } from 'node:stream'
import type { AttemptContext } from '@redress/core'
import type { ResumableDownload, ResumeTransport } from '@redress/core/adapter'
import { continuationRequestHeaders, resumableStatus } from '@redress/core/adapter'
import type { ResumableRequestOptions } from '@redress/core/http'
import type { AxiosRequestConfig, AxiosResponse, InternalAxiosRequestConfig, RawAxiosRequestHeaders } from 'axios'
import { CallerCancellation } from './CallerCancellation.ts'
import type { Installation } from './Installation.ts'
import { type ResumedBody, resumableStream } from './ResumableStream.ts'
import type { RetrySnapshot } from './RetrySnapshot.ts'
import { releaseAxiosResponse } from './releaseAxiosResponse.ts'

/** Config fields a continuation replaces; `undefined` removes the caller's. */
export type ConfigOverrides = { [K in keyof AxiosRequestConfig]?: AxiosRequestConfig[K] | undefined }

/** Re-issues the request through the instance with `snapshot` and `overrides` (`RedressedRequest`'s retries). */
export type Reissue = (
  snapshot: RetrySnapshot,
  overrides: ConfigOverrides,
  ctx: AttemptContext,
) => Promise<AxiosResponse>

/** What the first bytes of a continuation were, per response (`null`: it ended without any). */
const FIRST = new WeakMap<AxiosResponse, Buffer | null>()

/**
 * A `responseType: 'stream'` response whose body survives cuts, when it can be resumed: a `200`
 * or `206` from axios's http adapter (its `data` a Node `Readable`) with a strong validator, whose
 * bytes are the ones on the wire — not decompressed by axios (`decompress: false`, or no
 * `Content-Encoding`). Its `data` is replaced by a `resumableStream`; anything else is
 * returned as it is.
 *
 * @param startedAtMs when the request started, on the policy's clock (`Resumer.startTime`): the
 *   download's deadline is counted from it
 */
export function resumableResponse(
  install: Installation,
  response: AxiosResponse,
  config: InternalAxiosRequestConfig,
  perRequest: ResumableRequestOptions | undefined,
  startedAtMs: number | undefined,
  snapshot: RetrySnapshot,
  reissue: Reissue,
): AxiosResponse {
  const { status, data } = response
  if (!resumableStatus(status) || !isNodeReadable(data)) return response
  // axios deletes Content-Encoding from the headers of a body it decompresses; the raw headers keep it.
  const raw = (response.request as { res?: { rawHeaders?: unknown } } | undefined)?.res?.rawHeaders
  if (!Array.isArray(raw)) return response
  const download = install.resumer.download(
    { method: 'GET', status, headers: raw as string[], decodesBody: config.decompress !== false },
    // getUri re-merges the whole config: only a cut needs the URL.
    { url: () => install.instance.getUri(config), redress: perRequest },
    startedAtMs,
  )
  if (download === undefined) return response
  const callerSignal = config.signal ?? undefined
  // A real AbortSignal and no cancel token (or neither): the caller's signal, as it is.
  const cancellation = CallerCancellation.of(callerSignal, config.cancelToken ?? undefined)
  const signal = cancellation === undefined ? (callerSignal as AbortSignal | undefined) : cancellation.signal
  const stream = resumableStream(data, download, (cut) => resume(download, cut, snapshot, reissue, signal), signal)
  if (stream === undefined) {
    cancellation?.dispose()
    return response
  }
  if (cancellation !== undefined) stream.once('close', () => cancellation.dispose())
  response.data = stream
  return response
}

async function resume(
  download: ResumableDownload,
  cut: unknown,
  snapshot: RetrySnapshot,
  reissue: Reissue,
  signal: AbortSignal | undefined,
): Promise<ResumedBody> {
  const continuation = await download.resume(cut, transport(snapshot, reissue), signal)
  const first = FIRST.get(continuation)
  FIRST.delete(continuation)
  return { stream: continuation.data as Readable, first: first ?? undefined, ended: first === null }
}

/** How a download sends continuations through the instance: the request again, as a GET with the Range headers. */
function transport(snapshot: RetrySnapshot, reissue: Reissue): ResumeTransport<AxiosResponse> {
  return {
    send: (headers, ctx) =>
      reissue(
        {
          data: undefined,
          // The request's headers (a plain copy, `false` values kept) with the Range and validator.
          headers: continuationRequestHeaders(snapshot.headers, headers) as RawAxiosRequestHeaders,
        },
        {
          method: 'get',
          responseType: 'stream',
          // Every status is a response for the download to judge, not an AxiosError.
          validateStatus: () => true,
          // A coded continuation must be seen coded, so that it is refused rather than decoded.
          decompress: false,
          // Progress events would start again from 0 for each continuation.
          onDownloadProgress: undefined,
        },
        ctx,
      ),
    head: (response) => ({ status: response.status, headers: response.headers }),
    firstBytes: (response, ctx) => firstBytes(response, ctx),
    release: (response) => {
      FIRST.delete(response)
      releaseAxiosResponse(response)
    },
  }
}

/** Waits for the first bytes of a continuation's body and keeps them (paused) for the stream. */
function firstBytes(response: AxiosResponse, ctx: AttemptContext): Promise<void> {
  const stream = response.data as Readable
  return new Promise<void>((resolve, reject) => {
    let stopWatching: (() => void) | undefined
    const done = (): void => {
      stream.off('data', onData)
      stream.off('end', onEnd)
      stream.off('error', onError)
      stopWatching?.()
    }
    const onData = (chunk: Buffer): void => {
      stream.pause()
      done()
      FIRST.set(response, chunk)
      resolve()
    }
    const onEnd = (): void => {
      done()
      FIRST.set(response, null)
      resolve()
    }
    const onError = (error: unknown): void => {
      done()
      reject(error)
    }
    stream.on('data', onData)
    stream.on('end', onEnd)
    stream.on('error', onError)
    // Last: it calls back at once when the attempt was abandoned already.
    stopWatching = ctx.onAbort((reason) => {
      done()
      stream.destroy()
      reject(reason)
    })
  })
}

function isNodeReadable(value: unknown): value is Readable {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Readable).pipe === 'function' &&
    typeof (value as Readable).on === 'function' &&
    typeof (value as Readable).pause === 'function'
  )
}
