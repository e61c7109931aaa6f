import { changeDetector } from '../../../lib/policy/change';
import { RuleLevel } from '../../../lib/policy/rule';
import { checkCompatibility, Compatibility } from '../schema-compatibility';
import { schemaHistory } from './schema-history';

/** Schema changes that break consumers (shown by `synth diff`). */
export const destructiveSchemaChange = changeDetector({
  id: 'DOP-KAFKA-102',
  level: RuleLevel.WARNING,
  description: 'A schema change removes versions or breaks consumers',
  rationale: 'Removing versions loses the history the registry checks against; a version that is not fully compatible breaks readers or writers of the old one.',
  remediation: 'Keep every version; make new versions fully compatible, or move to a new subject.',
  kinds: ['ConfigMap'],
  detect: (c) => {
    const before = schemaHistory(c.before);
    const after = schemaHistory(c.after);
    if (!before) return [];
    if (!after) return c.type === 'removed' ? [] : ['schema version history removed'];
    const reasons: string[] = [];
    if (after.versions.length < before.versions.length) reasons.push(`schema versions removed (${before.versions.length} → ${after.versions.length})`);
    for (let i = before.versions.length; i < after.versions.length; i++) {
      // Under NONE (or any level) a new version that old consumers cannot handle breaks them.
      if (checkCompatibility(after.format, Compatibility.BACKWARD, after.versions.slice(0, i), after.versions[i]).length > 0 ||
          checkCompatibility(after.format, Compatibility.FORWARD, after.versions.slice(0, i), after.versions[i]).length > 0) {
        reasons.push(`schema break: version ${i + 1} is not fully compatible with version ${i} (compatibility ${after.level})`);
      }
    }
    return reasons;
  },
});
