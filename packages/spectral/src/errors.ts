/**
 * Error type shared by every graphpe package: a stable machine-readable `code`, a message that
 * names the module, the problem and its position, and the offending value in `details`.
 */
export type GraphpeErrorCode =
  | 'E_EMPTY'
  | 'E_PARSE'
  | 'E_NODE_ID'
  | 'E_WEIGHT'
  | 'E_DUPLICATE_EDGE'
  | 'E_ASYMMETRIC'
  | 'E_DIRECTED'
  | 'E_SHAPE'
  | 'E_NAN'
  | 'E_OPTION'
  | 'E_FILE'
  | 'E_NOT_CONVERGED'
  | 'E_TOO_LARGE'
  | 'E_BACKEND'
  | 'E_SMILES'
  | 'E_VOCAB'
  | 'E_DATASET'
  | 'E_CHECKPOINT';

export class GraphpeError extends Error {
  readonly code: GraphpeErrorCode;
  readonly details: Record<string, unknown>;
  constructor(code: GraphpeErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'GraphpeError';
    this.code = code;
    this.details = details;
  }
}

/** Throw an `E_OPTION` error unless `cond` holds. */
export function checkOption(cond: boolean, where: string, message: string, value?: unknown): asserts cond {
  if (!cond) {
    throw new GraphpeError(
      'E_OPTION',
      `${where}: ${message}${value === undefined ? '' : ` (got ${String(value)})`}`,
      {
        value,
      },
    );
  }
}
