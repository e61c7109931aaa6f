import { PolicyPack } from '../../../lib/policy/pack';
import { maskedFieldsExist } from './masked-fields-exist';
import { piiFlows } from './pii-flows';
import { piiMaskedBoundedRetention } from './pii-masked-bounded-retention';
import { piiReadersMasked } from './pii-readers-masked';

export { maskedFieldsExist, piiFlows, piiMaskedBoundedRetention, piiReadersMasked };

/**
 * Rules every MaskingPolicy brings (required by the construct): no reader of a PII field without masking or an
 * exemption (DOP-GOV-001), the PII flow listing (DOP-GOV-003), masked fields that exist (DOP-GOV-004).
 */
export const maskingPack: PolicyPack = {
  name: 'data-governance',
  description: 'Masking is enforced for every reader of PII, or the reader is named exempt',
  rules: [piiReadersMasked, piiFlows, maskedFieldsExist],
};

/** The governance rules of the recommended pack: the masking rules and DOP-GOV-002 (PII masked, bounded retention). */
export const governanceRecommendedRules = [piiReadersMasked, piiMaskedBoundedRetention, piiFlows, maskedFieldsExist] as const;
