/** C export of the fixed-point frontend tables (the C twin lives in firmware-assets/src/frontend/). */
export { emitFrontendTablesC, FRONTEND_TABLES_C_BASENAME, TEN_LOG10_2_Q24 } from './emit-frontend-tables-c.js';
export type { FrontendTablesC } from './emit-frontend-tables-c.js';
export { writeFrontendTablesC } from './write-frontend-tables-c.js';
