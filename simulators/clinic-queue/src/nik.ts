import { isPlausibleNik, makeNik } from '@gerbang/simkit/nik';

/** A Puskesmas serves anyone who walks in, not only Trenggalek residents: any well-formed NIK. */
export const isWellFormedNik = isPlausibleNik;

/** Builds a Trenggalek NIK for seeded patients. */
export const makeTrenggalekNik = (kecamatan: number, birth: string, female: boolean, serial: number) => makeNik(kecamatan, birth, female ? 'F' : 'M', serial);
