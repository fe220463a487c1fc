import { Migration20261204210000 } from './Migration20261204210000';
import { Migration20261205000000 } from './Migration20261205000000';

/** Checked-in, ordered. Append new migrations; never edit an applied one. */
export const migrations = [
  { name: 'Migration20261204210000', class: Migration20261204210000 },
  { name: 'Migration20261205000000', class: Migration20261205000000 },
];
