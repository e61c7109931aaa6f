import { KubeObject } from '../../../lib/synthesizer/manifest';
import { SCHEMA_EXTENSIONS, SCHEMA_SUBJECT_LABEL, versionsOf } from '../schema';
import { Compatibility, SchemaFormat } from '../schema-compatibility';

/** The version history a schema ConfigMap records, if the object is one. */
export function schemaHistory(o: KubeObject | undefined): { format: SchemaFormat; level: Compatibility; versions: string[] } | undefined {
  const data = o?.data as Record<string, string> | undefined;
  if (!o?.metadata.labels?.[SCHEMA_SUBJECT_LABEL] || !data?.schemaType) return undefined;
  const format = data.schemaType as SchemaFormat;
  return { format, level: (data.compatibility ?? 'BACKWARD') as Compatibility, versions: versionsOf(data, SCHEMA_EXTENSIONS[format]) };
}
