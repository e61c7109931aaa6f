import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One check result of Checkov's JSON output. */
export interface CheckovResult {
  readonly check_id: string;
  readonly check_name: string;
  readonly resource: string;
  readonly file_path: string;
  readonly suppress_comment?: string;
}

/** What Checkov found in a folder (kubernetes framework). */
export interface CheckovScan {
  readonly passed: readonly CheckovResult[];
  readonly failed: readonly CheckovResult[];
  readonly skipped: readonly CheckovResult[];
  readonly version: string;
}

const REPO = path.join(__dirname, '../..');

/**
 * The Checkov binary: $CHECKOV_BIN, else the venv scripts/ci/ensure-checkov.sh makes (.venv-checkov), else `checkov` on
 * PATH. Undefined when none exists.
 */
export function findCheckov(): string | undefined {
  const candidates = [process.env.CHECKOV_BIN, path.join(REPO, '.venv-checkov/bin/checkov')].filter((c): c is string => !!c);
  for (const c of candidates) if (fs.existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', 'command -v checkov'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : undefined;
}

/** Runs the real Checkov over a folder of Kubernetes YAML (`checkov -d <dir> --framework kubernetes -o json`). */
export function runCheckov(bin: string, dir: string): CheckovScan {
  const run = spawnSync(bin, ['-d', dir, '--framework', 'kubernetes', '-o', 'json', '--skip-download'], {
    encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, LOG_LEVEL: 'WARNING' },
  });
  // Exit 1 means "some check failed"; anything else but 0 is Checkov itself failing.
  if (run.status !== 0 && run.status !== 1) throw new Error(`checkov exited ${run.status}: ${run.stderr}`);
  const parsed = JSON.parse(run.stdout);
  const reports = (Array.isArray(parsed) ? parsed : [parsed]).filter((r: any) => r.check_type === 'kubernetes');
  // No Kubernetes file at all: Checkov prints an empty summary.
  if (reports.length === 0) return { passed: [], failed: [], skipped: [], version: String(parsed?.checkov_version ?? parsed?.summary?.checkov_version ?? '') };
  const r = reports[0];
  // A skipped check's reason is in check_result.suppress_comment.
  const skipped = (r.results.skipped_checks as any[]).map((c) => ({ ...c, suppress_comment: c.check_result?.suppress_comment }));
  return { passed: r.results.passed_checks, failed: r.results.failed_checks, skipped, version: r.summary.checkov_version };
}
