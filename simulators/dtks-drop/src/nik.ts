import { isValidNik as valid, makeNik as make } from '@gerbang/simkit/nik';

// The regency's welfare register holds Trenggalek residents only.
export const isValidNik = (nik: string): boolean => valid(nik);
export const makeNik = (kecamatan: number, birth: string, female: boolean, serial: number) => make(kecamatan, birth, female ? 'F' : 'M', serial);
