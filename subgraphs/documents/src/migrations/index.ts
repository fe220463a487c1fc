import { Migration20261204210000 } from './Migration20261204210000';

/** Checked-in, ordered. Append new migrations; never edit an applied one. */
export const migrations = [{ name: 'Migration20261204210000', class: Migration20261204210000 }];
