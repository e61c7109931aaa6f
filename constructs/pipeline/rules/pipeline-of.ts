import { IConstruct } from 'constructs';

/** Marks Pipeline instances (set by the Pipeline constructor) so rules can find them without importing the class. */
export const PIPELINE_BRAND = Symbol.for('cdk8s-dataops.Pipeline');

/** What the rules read of a pipeline. */
export interface PipelineLike extends IConstruct {
  readonly pipelineName: string;
}

/** The nearest pipeline a construct is in, if any. */
export function pipelineOf(scope: IConstruct): PipelineLike | undefined {
  const scopes = scope.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    if ((scopes[i] as unknown as { [PIPELINE_BRAND]?: boolean })[PIPELINE_BRAND] === true) return scopes[i] as unknown as PipelineLike;
  }
  return undefined;
}
