/// Why a replay cannot run, with enough context to fix the input.
public enum ReplayError: Error, Hashable, Sendable, CustomStringConvertible {
  /// A series has a different number of timestamps and values.
  case seriesLengthMismatch(series: String, timestamps: Int, values: Int)
  /// A series has no samples.
  case emptySeries(series: String)
  /// A series' timestamps are not strictly increasing (at `index`, time in milliseconds).
  case timestampsNotIncreasing(series: String, index: Int, milliseconds: Int64)
  /// A series' value is not finite, or is negative where demand must be ≥ 0.
  case invalidValue(series: String, index: Int, value: Double)
  /// The requested window is empty, reversed or too long (milliseconds).
  case invalidWindow(startMilliseconds: Int64, endMilliseconds: Int64)
  /// A series does not cover the requested window (all times in milliseconds).
  case windowNotCovered(
    series: String, startMilliseconds: Int64, endMilliseconds: Int64,
    firstSampleMilliseconds: Int64, lastSampleMilliseconds: Int64)
  /// A mapping names a series the input does not have.
  case unknownSeries(name: String, available: [String])
  /// A timing field breaks its rule (value in milliseconds).
  case invalidTiming(field: String, value: Int64, rule: String)
  /// A lifecycle duration is negative (milliseconds).
  case invalidLifecycle(field: String, value: Int64)
  /// A workload-model field breaks its rule.
  case invalidWorkload(field: String, rule: String)
  /// An HPA metric cannot be fed from the trace and the workload model.
  case unmappedMetric(index: Int, metric: String, reason: String)
  /// The HPA itself is invalid (a rule its validation enforces).
  case invalidAutoscaler(reason: String)

  /// A message for the person who must fix the input.
  public var description: String {
    switch self {
    case .seriesLengthMismatch(let series, let timestamps, let values):
      "series \"\(series)\" has \(timestamps) timestamps but \(values) values; they must pair up"
    case .emptySeries(let series):
      "series \"\(series)\" has no samples; pass a trace with at least one row"
    case .timestampsNotIncreasing(let series, let index, let milliseconds):
      "series \"\(series)\": timestamp \(milliseconds) ms at row \(index) is not after the row "
        + "before it; sort the trace and remove duplicate times"
    case .invalidValue(let series, let index, let value):
      "series \"\(series)\": value \(value) at row \(index) is not a finite number"
        + " (demand must also be ≥ 0); clean the trace or pick another column"
    case .invalidWindow(let start, let end):
      "the replay window [\(start) ms, \(end) ms) is empty or longer than 2^31 steps; "
        + "pass an end after the start"
    case .windowNotCovered(let series, let start, let end, let first, let last):
      "series \"\(series)\" covers [\(first) ms, \(last) ms] but the replay asks for "
        + "[\(start) ms, \(end) ms); pass a window inside the trace (from ≥ \(first) ms)"
    case .unknownSeries(let name, let available):
      "no series named \"\(name)\"; the trace has: \(available.joined(separator: ", "))"
    case .invalidTiming(let field, let value, let rule):
      "timing \(field) = \(value) ms \(rule)"
    case .invalidLifecycle(let field, let value):
      "lifecycle \(field) = \(value) ms must be ≥ 0"
    case .invalidWorkload(let field, let rule):
      "workload \(field) \(rule)"
    case .unmappedMetric(let index, let metric, let reason):
      "HPA metric #\(index + 1) (\(metric)) cannot be replayed: \(reason)"
    case .invalidAutoscaler(let reason):
      "the HPA is invalid: \(reason)"
    }
  }
}
