import { hedgeConformance } from '@redress/test-support'
import { driver } from './support/driver.ts'

for (const adapter of ['http', 'fetch'] as const) hedgeConformance(driver(adapter))
