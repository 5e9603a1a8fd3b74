export { FakeClock } from './FakeClock.ts'
