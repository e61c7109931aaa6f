import { PolicyPack } from '../../../lib/policy/pack';
import { crossPipelineRead } from './cross-pipeline-read';

/** The pipeline rules every platform with pipelines gets; added by the Pipeline constructor (`Policies.require`). */
export const PIPELINE_SAFETY_PACK: PolicyPack = {
  name: 'pipeline-safety',
  description: 'Data ownership between pipelines',
  rules: [crossPipelineRead],
};
