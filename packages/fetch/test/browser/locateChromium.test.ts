import { afterEach, describe, expect, it } from 'vitest'
import { locateChromium } from './locateChromium.ts'

const saved = process.env.CHROMIUM_PATH
afterEach(() => {
  if (saved === undefined) delete process.env.CHROMIUM_PATH
  else process.env.CHROMIUM_PATH = saved
})

describe('locateChromium', () => {
  it('fails with a message naming CHROMIUM_PATH when it points at no executable, rather than skip', () => {
    process.env.CHROMIUM_PATH = '/nonexistent/chromium'
    expect(() => locateChromium()).toThrow(
      'CHROMIUM_PATH is set to /nonexistent/chromium, which is not an executable file',
    )
  })
})
