import { describe, expect, it } from 'vitest';
import { parseConfig, subgraphConfigSchema } from '@gerbang/common';
import { dropDirOf, subgraph } from '../src/main';

const config = (env: Record<string, string>) => parseConfig(subgraphConfigSchema(subgraph as never, env), env) as { DTKS_DROP_DIR?: string; DATA_DIR: string };

describe('social subgraph configuration', () => {
  it('keeps the DTSEN drop folder under DATA_DIR unless DTKS_DROP_DIR says where', () => {
    // In the image the working directory is root's /app; DATA_DIR is the user's.
    expect(dropDirOf(config({ DATA_DIR: '/data' }))).toBe('/data/dtks-drop');
    expect(dropDirOf(config({ DATA_DIR: '/data', DTKS_DROP_DIR: '/mnt/dtsen' }))).toBe('/mnt/dtsen');
  });
});
