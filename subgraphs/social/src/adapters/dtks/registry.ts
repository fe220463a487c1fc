/**
 * What the social subgraph needs from Dinsos PPPA's register exchange, independent of how it is
 * reached. The exchange is a shared drop folder (DTKS_DROP_DIR):
 *   DTSEN_3503_<yyyymmdd>_<NNN>.csv (+ .sha256 manifest, written last)   register batches, in
 *   outbox/USULAN_*.csv                                                  our aid proposals, out
 *   ack/ACK_USULAN_*.csv                                                 Dinsos's decisions, in
 * The file-system adapter implements it; tests may implement it in memory.
 */

export interface BatchListing {
  name: string;
  size: number;
  modifiedAt: Date;
  /** The `<name>.sha256` manifest exists (it is written last, so a batch without one is still arriving). */
  hasManifest: boolean;
}

export interface BatchManifest {
  sha256: string;
  /** File name the manifest vouches for. */
  name: string;
  /** Data records (excluding the header). */
  rows: number;
  /** `YYYY-MM`, the register publication period. */
  periode: string | null;
}

export interface BatchFile {
  name: string;
  content: Buffer;
  modifiedAt: Date;
  /** null: no manifest (yet). */
  manifest: BatchManifest | null;
  /** Set when a manifest exists but cannot be read. */
  manifestProblem?: string;
}

export interface DtksDrop {
  /** Register batches in the drop folder, oldest name first. */
  listBatches(): Promise<BatchListing[]>;
  /** A manifest alone (cheap: lets an already ingested batch be skipped without reading it). */
  readManifest(name: string): Promise<{ manifest: BatchManifest | null; problem?: string }>;
  readBatch(name: string): Promise<BatchFile>;
  /** Writes `outbox/<name>` atomically (temporary file + rename). */
  writeProposalFile(name: string, content: string): Promise<void>;
  /** `ack/ACK_<proposal file>` content, or null when Dinsos has not answered yet. */
  readAck(proposalFileName: string): Promise<string | null>;
}
