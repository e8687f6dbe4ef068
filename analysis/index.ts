/**
 * analysis/: estimators over counts, pure functions with no I/O.
 * @see the README's "Results releases" and "How sure a figure is"
 */

// Result types shared by every estimator
export type {
  DesignDifferenceEstimate,
  DesignDifferenceResult,
  DesignGroup,
  DesignProportionEstimate,
  DesignProportionResult,
  KornGraubardEstimate,
  KornGraubardResult,
  DifferenceEstimate,
  DifferenceMethod,
  DifferenceNoData,
  DifferenceNotEstimable,
  Fallback,
  GroupSummary,
  NewcombeDifferenceResult,
  NewcombeFallbackEstimate,
  NewcombeGroup,
  NoData,
  NotEstimable,
  ProportionEstimate,
  ProportionMethod,
  ProportionResult,
  WilsonFallbackEstimate,
} from './estimate.js'
export { AnalysisInputError } from './errors.js'
export type { AnalysisInputErrorCode } from './errors.js'

// One proportion, simple random sampling
export { wilsonInterval } from './wilson-interval.js'
export type { BinomialCounts, IntervalOptions } from './wilson-interval.js'
export { clopperPearsonInterval } from './clopper-pearson-interval.js'

// One proportion, clustered (and stratified) design
export { designBasedProportion } from './design-based-proportion.js'
export type { ClusterCount, ClustersPerStratum, DesignOptions } from './design-based-proportion.js'
export { kornGraubardProportion } from './korn-graubard-proportion.js'
export { MAX_COUNTED_VISITS, multiplicityWeight, weightedDesignProportion } from './weighted-design-proportion.js'
export type { WeightedClusterCount, WeightedDesignOptions, WeightedDesignResult } from './weighted-design-proportion.js'

// Whether an estimate is fit to publish (NCHS presentation standard for proportions)
export { MIN_DF, MIN_EFFECTIVE_N, RELIABILITY_TEXT, WITHHOLDING_FLAGS, nchsReliability } from './reliability.js'
export type { PublishDecision, Reliability, ReliabilityFlag, ReliabilityInput } from './reliability.js'

// Differences between two groups
export { designBasedDifference, newcombeDifference } from './difference-of-proportions.js'

// Distribution functions the intervals are built on
export { normalQuantile } from './distributions/normal-quantile.js'
export { studentTQuantile } from './distributions/student-t-quantile.js'
export { logBeta, regularizedIncompleteBeta } from './distributions/incomplete-beta.js'
export { inverseRegularizedIncompleteBeta } from './distributions/inverse-incomplete-beta.js'

// Disclosure control of a results release (ARCHITECTURE.md, anonymity rule 6)
export { suppressRelease } from './disclosure-control/suppress-release.js'
export { auditSuppression } from './disclosure-control/audit-suppression.js'
export { DEFAULT_THRESHOLD, MINIMUM_THRESHOLD, primarySuppressionRule } from './disclosure-control/primary-rule.js'
export { changeSuppressionRule } from './disclosure-control/change-rule.js'
export type {
  AuditFinding,
  AuditFindingKind,
  CellGroup,
  CellReference,
  ControlledCell,
  ControlledTable,
  DisclosureOptions,
  ImpliedDimension,
  PrimaryRule,
  PrimarySuppressedCell,
  PublishedCell,
  ReleaseCell,
  ReleaseTable,
  SecondarySuppressedCell,
  SuppressedCell,
  SuppressionAudit,
  SuppressionRule,
} from './disclosure-control/types.js'

// Results tables from counts per cell and site, and the flat respondent-level file (API, analyze CLI, export)
export { ESTIMATOR_OF, MISSING_CATEGORY, RESULTS_METHODS, buildResultsTable, isDesignMethod } from './results-table.js'
export type { ClusterCellCounts, IndicatorCounts, ResultRow, ResultsMethod, ResultsTableRequest } from './results-table.js'
export { FLAT_DIMENSION_COLUMNS, formatCsvRow, parseCsv, parseFlatFile, parseJsonLines } from './flat-file.js'
export type { FlatFileFormat, FlatTable } from './flat-file.js'
export { SINGLE_CLUSTER, defaultIndicators, flatFileCounts } from './flat-file-counts.js'
export type { FlatAnalysisOptions, FlatCounts } from './flat-file-counts.js'
