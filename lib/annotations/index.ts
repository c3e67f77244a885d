export { annotateMap } from './annotate-map';
export { watchAnnotations } from './watch-annotations';
export type { Schedule, WatchAnnotationsOptions } from './watch-annotations';
export type { EmotionPoint, MapAnnotations, Ownership, PainLevel, StageAnnotation } from './types';
