/** Privacy engine core: generalisation hierarchies, the full-domain lattice search and an independent k-anonymity checker. */
export { parseHierarchyCsv, validateHierarchy, encodeColumn, generaliseColumn } from './hierarchy.js';
export type { Hierarchy, EncodedColumn } from './hierarchy.js';
export { Lattice, searchOptimal, classifyLattice, evaluateNode, NODE_ANONYMOUS, NODE_NOT_ANONYMOUS } from './lattice.js';
export type { LossMetric, SearchOptions, SearchResult, NodeStats, Classification } from './lattice.js';
export { checkKAnonymity } from './check.js';
export type { KAnonymityCheck } from './check.js';
