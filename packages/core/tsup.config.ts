import { packageBuild } from '../../tsup.base.ts'

export default packageBuild({
  index: 'src/index.ts',
  'http/index': 'src/http/index.ts',
  'adapter/index': 'src/adapter/index.ts',
  'testing/index': 'src/testing/index.ts',
})
