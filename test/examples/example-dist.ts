/**
 * An example app synthesized by the real `synth` bin into a temporary folder, and what the example tests read from it:
 * objects, ACLs in one line each, lineage edges, the policy report.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { listTree, repoRoot, runSynth } from '../fixtures/repo';

/** One synthesized example. */
export class ExampleDist {
  /** Synthesizes `examples/<name>/main.ts` into a new temporary folder; throws with the output when synth fails. */
  public static synthesize(name: string): ExampleDist {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), `example-${name}-`));
    const r = runSynth(['--app', ExampleDist.app(name), '--out', out, '--quiet'], repoRoot);
    if (r.code !== 0 || r.stderr !== '') throw new Error(`synth of examples/${name} failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
    return new ExampleDist(out, name);
  }

  /** The app file of an example. */
  public static app(name: string): string {
    return path.join(repoRoot, 'examples', name, 'main.ts');
  }

  private constructor(public readonly dir: string, private readonly name: string) {}

  /** Every file, relative to the output folder. */
  public files(): string[] {
    return listTree(this.dir);
  }

  /** A file's text. */
  public text(rel: string): string {
    return fs.readFileSync(path.join(this.dir, rel), 'utf8');
  }

  /** A YAML object file. */
  public object(rel: string): any {
    return parse(this.text(rel), { version: '1.1' });
  }

  /** The objects of an environment's manifests, by file. */
  public manifests(env: string): { file: string; object: any }[] {
    return this.files().filter((f) => f.startsWith(`manifests/${env}/`)).map((file) => ({ file, object: this.object(file) }));
  }

  /** A KafkaUser's ACLs, each as `type:name:Op+Op`, in file order. */
  public acls(env: string, user: string): string[] {
    return this.object(`manifests/${env}/kafka/kafkauser.${user}.yaml`).spec.authorization.acls
      .map((a: any) => `${a.resource.type}:${a.resource.name}:${a.operations.join('+')}`);
  }

  /** The lineage edges of reports/lineage.html, as `from -> to`. */
  public lineageEdges(): string[] {
    const html = this.text('reports/lineage.html');
    return [...new Set([...html.matchAll(/data-from="([^"]+)" data-to="([^"]+)"/g)].map((m) => `${m[1]} -> ${m[2]}`))].sort();
  }

  /** What would put a secret value in Git: Secret objects and `stringData` anywhere in the output (empty when none). */
  public secretLeaks(): string[] {
    return this.files().flatMap((f) => {
      const text = this.text(f);
      return [...(/^kind: Secret$/m.test(text) ? [`${f}: a Secret object`] : []), ...(/\bstringData:/.test(text) ? [`${f}: stringData`] : [])];
    });
  }

  /** `synth validate --strict-unknown` of this output and `synth --check` of the committed dist: exit codes and output. */
  public validateAndCheck(): { validate: [number | null, string]; check: [number | null, string] } {
    const app = ExampleDist.app(this.name);
    const validate = runSynth(['validate', '--app', app, '--out', this.dir, '--strict-unknown'], repoRoot);
    const check = runSynth(['--app', app, '--check', '--quiet'], repoRoot);
    return { validate: [validate.code, validate.stderr], check: [check.code, check.stdout + check.stderr] };
  }

  /** reports/policy.json. */
  public policy(): { summary: { errors: number; warnings: number }; findings: { ruleId: string; level: string; environment: string; acknowledged?: { reason: string } }[] } {
    return JSON.parse(this.text('reports/policy.json'));
  }
}
