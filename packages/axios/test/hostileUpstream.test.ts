import { hostileUpstreamConformance } from '@redress/test-support'
import { driver } from './support/driver.ts'

for (const adapter of ['http', 'fetch'] as const) hostileUpstreamConformance(driver(adapter))
