import { adapterConformance } from '@redress/test-support'
import { driver } from './support/driver.ts'

for (const adapter of ['http', 'fetch'] as const) adapterConformance(driver(adapter))
