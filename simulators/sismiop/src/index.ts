export { installSismiop, uninstallSismiop, ensureReadOnlyRole, withClient, type InstallOptions, type InstallResult, type ReadOnlyRoleResult, type Queryable, type PoolLike } from './install';
export { parseNop, formatNop, isValidNop, nopFromRow, nopValues, InvalidNopError, NOP_COLUMNS, KECAMATAN_SISMIOP, type NopParts } from './nop';
export { schemaStatements, quoteIdent, TABLES } from './schema';
export { buildSeed, pbbTerhutang, dendaPbb, DEMO, OFFICERS, NIP_H2H, JENIS_PELAYANAN, STATUS_PELAYANAN, TEMPAT_PEMBAYARAN, type JenisPelayanan, type StatusPelayanan } from './seed';
export { recordPermohonan, setPermohonanStatus, type NewPermohonan } from './admin';
export { createPgProxy, createSismiopSimulator, FrontendMessageCounter, sqlCommentRequestId, type PgProxy, type PgProxyOptions, type PgTarget, type SismiopSimulator } from './proxy';
