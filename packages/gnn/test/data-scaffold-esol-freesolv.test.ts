import { describe, it } from 'vitest';
import { dataDir, expectOfficialScaffoldSplit } from './data-scaffold-helpers.js';

describe.skipIf(!dataDir)('scaffold split = official OGB files (GRAPHPE_DATA_DIR)', () => {
  it('ogbg-molesol', () => expectOfficialScaffoldSplit('ogbg-molesol', 'esol'));
  it('ogbg-molfreesolv', () => expectOfficialScaffoldSplit('ogbg-molfreesolv', 'freesolv'));
});
