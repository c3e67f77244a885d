export { annotateMap } from './annotate-map';
export { actionOutcomes, measuredPeriodOf } from './measured';
export { watchAnnotations } from './watch-annotations';
export type { Schedule, WatchAnnotationsOptions } from './watch-annotations';
export type {
  ActionOutcome,
  EmotionPoint,
  MapAnnotations,
  MeasurementRow,
  Measurements,
  Ownership,
  PainLevel,
  StageAnnotation,
  StageMeasured,
} from './types';
