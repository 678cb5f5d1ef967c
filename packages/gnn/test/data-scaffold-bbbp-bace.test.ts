import { describe, it } from 'vitest';
import { dataDir, expectOfficialScaffoldSplit } from './data-scaffold-helpers.js';

describe.skipIf(!dataDir)('scaffold split = official OGB files (GRAPHPE_DATA_DIR)', () => {
  it('ogbg-molbbbp', () => expectOfficialScaffoldSplit('ogbg-molbbbp', 'bbbp'));
  it('ogbg-molbace', () => expectOfficialScaffoldSplit('ogbg-molbace', 'bace'));
});
