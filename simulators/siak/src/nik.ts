// SIAK is the regency's own register: it knows Trenggalek NIKs only.
export { KECAMATAN, isValidNik, makeNik, parseNik, type NikParts, type Sex } from '@gerbang/simkit/nik';
