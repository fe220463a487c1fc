import { Migration20261204180000 } from './Migration20261204180000';
import { Migration20261205090000 } from './Migration20261205090000';
import { Migration20261206090000 } from './Migration20261206090000';

/** Checked-in, ordered. Append new migrations; never edit an applied one. */
export const migrations = [
  { name: 'Migration20261204180000', class: Migration20261204180000 },
  { name: 'Migration20261205090000', class: Migration20261205090000 },
  { name: 'Migration20261206090000', class: Migration20261206090000 },
];
