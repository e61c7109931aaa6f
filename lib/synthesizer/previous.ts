import * as fs from 'node:fs';
import * as path from 'node:path';
import { IConstruct } from 'constructs';
import { manifestPath } from './layout';
import { KubeObject } from './manifest';
import { parseYamlDocuments } from './yaml';

const PREVIOUS = Symbol.for('cdk8s-dataops.previous-output');

/**
 * Read access to the output folder as it was before this synthesis (normally the committed dist).
 *
 * This is the one sanctioned read-back in the pipeline, for objects whose history lives in Git rather than in the
 * code: a Schema keeps every version it ever registered, while the code holds only the latest definition.
 * It is available while `synthesizePlatform` resolves objects; in-memory synthesis (tests) has no previous output.
 */
export class PreviousOutput {
  /** The previous output of the platform `scope` belongs to, or undefined when there is none. */
  public static of(scope: IConstruct): PreviousOutput | undefined {
    return (scope.node.root as unknown as { [PREVIOUS]?: PreviousOutput })[PREVIOUS];
  }

  /** @internal makes the previous output available during `fn` */
  public static _during<T>(root: IConstruct, outdir: string, fn: () => T): T {
    const holder = root as unknown as { [PREVIOUS]?: PreviousOutput };
    holder[PREVIOUS] = new PreviousOutput(outdir);
    try {
      return fn();
    } finally {
      delete holder[PREVIOUS];
    }
  }

  private constructor(private readonly outdir: string) {}

  /** The object previously written for this identity in an environment, if any. */
  public readObject(environment: string, identity: Pick<KubeObject, 'kind' | 'metadata'>): KubeObject | undefined {
    const file = manifestPath(environment, { apiVersion: '', ...identity } as KubeObject);
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.outdir, file), 'utf8');
    } catch {
      return undefined;
    }
    return parseYamlDocuments(text, file)[0] as KubeObject | undefined;
  }
}
