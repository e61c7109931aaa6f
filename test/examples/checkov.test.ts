import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCheckov, runCheckov } from '../support/checkov';

/**
 * Outside scanners agree with us: the real Checkov (PyPI, installed by scripts/ci/ensure-checkov.sh) over every
 * example's committed dist reports no failed check. A check that fails for a reason we accept is acknowledged in the
 * example (`Policies.acknowledge`) on a rule that maps to it, which writes Checkov's skip annotation with the reason.
 */
const EXAMPLES = path.join(__dirname, '../../examples');
const dists = fs.readdirSync(EXAMPLES).map((e) => path.join(EXAMPLES, e, 'dist', 'manifests')).filter((d) => fs.existsSync(d));
const checkov = findCheckov();

describe.skipIf(!checkov && !process.env.CI)('Checkov over the examples\' dist', () => {
  it('there is an example dist to scan', () => {
    expect(dists.length).toBeGreaterThan(0);
  });

  for (const dir of dists) {
    it(`${path.relative(EXAMPLES, dir)}: no failed check without an acknowledgement; every skip carries a reason`, () => {
      if (!checkov) throw new Error('checkov is not installed: run bash scripts/ci/ensure-checkov.sh (in CI this test must run)');
      const scan = runCheckov(checkov, dir);
      expect(scan.passed.length).toBeGreaterThan(0);
      expect(scan.failed.map((r) => `${r.check_id} ${r.resource} ${r.file_path}: ${r.check_name}`)).toEqual([]);
      for (const s of scan.skipped) expect(s.suppress_comment, `${s.check_id} ${s.resource}`).toMatch(/\(DOP-[A-Z0-9]+-\d{3}\)$/);
    }, 300_000);
  }
});
