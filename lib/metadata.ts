import { IConstruct } from 'constructs';

const METADATA = Symbol.for('cdk8s-dataops.metadata');

/**
 * Labels and annotations that a construct passes down to every Kubernetes object defined inside it
 * (the way a Pipeline stamps its owner on everything it groups). The nearest construct wins on conflicts;
 * an object's own labels and annotations always win.
 */
export class ObjectMetadata {
  /** The inherited metadata of a construct (created on first use). */
  public static of(scope: IConstruct): ObjectMetadata {
    const holder = scope as unknown as { [METADATA]?: ObjectMetadata };
    return (holder[METADATA] ??= new ObjectMetadata());
  }

  /** @internal the metadata set directly on a construct, if any */
  public static _peek(scope: IConstruct): ObjectMetadata | undefined {
    return (scope as unknown as { [METADATA]?: ObjectMetadata })[METADATA];
  }

  /** Labels passed down. */
  public readonly labels: Record<string, string> = {};
  /** Annotations passed down. */
  public readonly annotations: Record<string, string> = {};

  private constructor() {}

  /** Adds a label to every object inside. */
  public addLabel(key: string, value: string): this {
    this.labels[key] = value;
    return this;
  }

  /** Adds an annotation to every object inside. */
  public addAnnotation(key: string, value: string): this {
    this.annotations[key] = value;
    return this;
  }
}

/** The labels and annotations a construct inherits from its ancestors (and itself), nearest first wins. */
export function inheritedMetadata(scope: IConstruct): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const c of scope.node.scopes) {
    const m = ObjectMetadata._peek(c);
    if (!m) continue;
    Object.assign(labels, m.labels);
    Object.assign(annotations, m.annotations);
  }
  return { labels, annotations };
}
