import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { DataPlatform, Environment } from 'cdk8s-dataops';
import { Artifacts } from '../../../lib/synthesizer/artifacts';

describe('Artifacts', () => {
  it("collects the files of a platform's constructs on the platform, with their owner", () => {
    const platform = new DataPlatform({ lineageReports: false });
    const owner = new Construct(new Environment(platform, 'prod'), 'reporter');
    const render = () => 'x';
    Artifacts.add(owner, { path: 'reports/x.md', render });
    expect(Artifacts.list(platform)).toEqual([{ path: 'reports/x.md', render, owner }]);
    expect(Artifacts.list(new DataPlatform({ lineageReports: false }))).toEqual([]);
  });
});
