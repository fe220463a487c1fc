/**
 * Small-cell suppression, as pure functions over counts (no SQL, no GraphQL).
 *
 * A line is a set of cells that add up to a figure someone can ask for separately (a row or column
 * of a table, the months of a year, the values of a filtered dimension). Within a line:
 * - primary suppression: a cell made by fewer than k records (but at least one) is suppressed,
 *   and so is any cell the caller marks (e.g. a position class with too few officers);
 * - complementary suppression: while the suppressed cells of the line are a single cell, or
 *   together fewer than k records, the smallest visible non-empty cell is suppressed too (ties by
 *   key). Then the line's total minus its visible cells is a sum over at least two cells and at
 *   least k records: it tells nothing about any one small group.
 * The decision depends only on the line's own counts, never on the question that asked for it, so
 * every question that shows cells of a line hides at least the same ones (see README, "Privacy").
 */
import { suppressAgencyLine } from '@gerbang/common';

export interface LineCell {
  key: string;
  n: number;
}

/** The rule is the one the agency subgraphs apply to their measures (one implementation, in common). */
export const suppressLine: (cells: readonly LineCell[], k: number, marked?: ReadonlySet<string>) => Set<string> = suppressAgencyLine;

/**
 * A selection (a set of cells of a line, e.g. the months of a period within one year) may be
 * answered as one figure only if it holds all of the line's suppressed cells or none of them:
 * otherwise two selections' difference would isolate a suppressed cell.
 */
export const splitsSuppressed = (selected: ReadonlySet<string>, suppressed: ReadonlySet<string>): boolean => {
  let inside = 0;
  for (const s of suppressed) if (selected.has(s)) inside++;
  return inside > 0 && inside < suppressed.size;
};

/**
 * The same rule for a line of distinct counts (citizens), whose total is not the sum of its cells:
 * a citizen seen in two cells counts once in the total. What someone can compute from a line is
 * its total minus its visible cells (the total being the same question without the line's
 * dimension); for cells that share no citizen that is exactly the citizens of the hidden cells,
 * otherwise a lower bound on the citizens seen only in hidden cells. So, on top of suppressLine's
 * rule (no lone hidden cell, hidden cells holding k or more together), visible cells are hidden
 * while that difference is 1 … k−1: it is then at most 0 (tells nothing) or at least k.
 */
export function suppressDistinctLine(cells: readonly LineCell[], k: number, total: number, marked: ReadonlySet<string> = new Set()): Set<string> {
  const suppressed = new Set<string>();
  let hiddenSum = 0;
  let visibleSum = 0;
  for (const c of cells) {
    if (c.n <= 0) continue;
    if (c.n < k || marked.has(c.key)) {
      suppressed.add(c.key);
      hiddenSum += c.n;
    } else visibleSum += c.n;
  }
  if (suppressed.size === 0) return suppressed;
  const visible = cells.filter((c) => c.n > 0 && !suppressed.has(c.key)).sort((a, b) => a.n - b.n || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const leaks = () => suppressed.size < 2 || hiddenSum < k || (total - visibleSum > 0 && total - visibleSum < k);
  for (let i = 0; leaks() && i < visible.length; i++) {
    suppressed.add(visible[i]!.key);
    hiddenSum += visible[i]!.n;
    visibleSum -= visible[i]!.n;
  }
  return suppressed;
}
