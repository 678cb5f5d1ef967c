import { describe, it } from 'vitest';
import { dataDir, expectOfficialScaffoldSplit } from './data-scaffold-helpers.js';

// tox21 has no official OGB split file; split/scaffold_reproduced was made with Python RDKit 2022.09 and
// OGB's code (sizes = OGB's). It exercises double-bond stereo and molecules RDKit ≥ 2024 rejects ([AlH3]).
describe.skipIf(!dataDir)('scaffold split = reproduced OGB split (GRAPHPE_DATA_DIR)', () => {
  it('tox21', () => expectOfficialScaffoldSplit('tox21', 'tox21', 'scaffold_reproduced'));
});
