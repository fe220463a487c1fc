export { createOssSimulator, MAX_BATCH, OSS_ROUTES, type OssSimulatorOptions } from './server.js';
export {
  BUSINESSES,
  LICENCES,
  NIB_BUDI_BAKSO,
  NIB_BUDI_BENGKEL,
  NIB_SITI_KERIPIK,
  NIK_BUDI,
  NIK_SITI,
  type AlamatUsaha,
  type DataKbli,
  type JenisIzin,
  type OssBusiness,
  type OssLicence,
  type PenanggungJawab,
  type StatusIzin,
  type TingkatRisiko,
} from './data.js';
export { isPlausibleNik } from './nik.js';
