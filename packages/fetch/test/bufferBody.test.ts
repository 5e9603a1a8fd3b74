import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bufferBody } from '../src/bufferBody.ts'

function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++]
      if (chunk === undefined) controller.close()
      else controller.enqueue(chunk)
    },
  })
}

async function* iterableOf(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks
}

function joined(chunks: readonly Uint8Array[]): number[] {
  return chunks.flatMap((chunk) => [...chunk])
}

describe('bufferBody', () => {
  it('keeps every byte in order, buffering exactly the bodies that fit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 16 }), { maxLength: 8 }),
        fc.nat({ max: 100 }),
        fc.boolean(),
        async (chunks, maxBytes, asStream) => {
          const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)
          const result = await bufferBody(asStream ? streamOf(chunks) : iterableOf(chunks), maxBytes, undefined)
          if (result.kind === 'bytes') {
            expect(total).toBeLessThanOrEqual(maxBytes)
            expect([...result.bytes]).toEqual(joined(chunks))
          } else {
            expect(total).toBeGreaterThan(maxBytes)
            const rest = new Uint8Array(await new Response(result.stream).arrayBuffer())
            expect([...rest]).toEqual(joined(chunks))
          }
        },
      ),
    )
  })

  it('encodes string chunks as UTF-8', async () => {
    async function* text(): AsyncGenerator<string> {
      yield 'é'
    }
    const result = await bufferBody(text(), 10, undefined)
    expect(result.kind === 'bytes' && [...result.bytes]).toEqual([0xc3, 0xa9])
  })

  it('rejects a chunk that is neither bytes nor a string with a TypeError', async () => {
    async function* numbers(): AsyncGenerator<number> {
      yield 1
    }
    await expect(bufferBody(numbers(), 10, undefined)).rejects.toThrow(TypeError)
  })

  it('cancels the body and rejects with the reason when the signal aborts', async () => {
    let cancelled: unknown
    const body = new ReadableStream<Uint8Array>({
      pull: () => new Promise<void>(() => {}),
      cancel: (reason) => {
        cancelled = reason ?? 'cancelled'
      },
    })
    const controller = new AbortController()
    const pending = bufferBody(body, 10, controller.signal)
    controller.abort('stop')
    await expect(pending).rejects.toBe('stop')
    await new Promise<void>((resolve) => setImmediate(resolve))
    expect(cancelled).toBeDefined()
  })
})
