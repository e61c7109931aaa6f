import { KubeObject } from '../synthesizer/manifest';
import { RuleInfo } from './rule';

/** How one object changes between the committed dist and the code (what `synth diff` judges). */
export interface ObjectChangeSubject {
  readonly type: 'added' | 'removed' | 'changed';
  /** File path relative to the output folder. */
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly before?: KubeObject;
  readonly after?: KubeObject;
}

/**
 * A destructive-change detector: rule metadata (its id is reported with each reason) and `detect`, which judges a
 * diff rather than the tree. Detectors run in `synth diff`, from the `detectors` of the packs in use.
 */
export interface ChangeDetector extends RuleInfo {
  /** The kinds the detector judges, or `'*'`. */
  readonly kinds: readonly string[] | '*';
  /** Why the change loses data or breaks consumers; empty when it does not. */
  detect(change: ObjectChangeSubject): readonly string[];
}

/** Declares a change detector. */
export function changeDetector(detector: ChangeDetector): ChangeDetector {
  return detector;
}
