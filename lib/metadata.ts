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

/** Labels and annotations passed down to a construct. */
export interface InheritedMetadata {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

const NONE: InheritedMetadata = Object.freeze({ labels: Object.freeze({}), annotations: Object.freeze({}) });

/** The labels and annotations a construct inherits from its ancestors (and itself), nearest first wins. */
export function inheritedMetadata(scope: IConstruct): { labels: Record<string, string>; annotations: Record<string, string> } {
  const { labels, annotations } = inheritedMetadataResolver()(scope);
  return { labels: { ...labels }, annotations: { ...annotations } };
}

/**
 * {@link inheritedMetadata} for many constructs of one tree that does not change meanwhile (one synthesis): each
 * ancestor's inherited metadata is worked out once and shared by everything below it, instead of walking every
 * object's ancestors. The results are frozen: copy before changing.
 */
export function inheritedMetadataResolver(): (scope: IConstruct) => InheritedMetadata {
  const known = new Map<IConstruct, InheritedMetadata>();
  const resolve = (scope: IConstruct): InheritedMetadata => {
    let r = known.get(scope);
    if (r !== undefined) return r;
    const parent = scope.node.scope;
    const base = parent ? resolve(parent) : NONE;
    const own = ObjectMetadata._peek(scope);
    r = own && (Object.keys(own.labels).length > 0 || Object.keys(own.annotations).length > 0)
      ? Object.freeze({ labels: Object.freeze({ ...base.labels, ...own.labels }), annotations: Object.freeze({ ...base.annotations, ...own.annotations }) })
      : base;
    known.set(scope, r);
    return r;
  };
  return resolve;
}
