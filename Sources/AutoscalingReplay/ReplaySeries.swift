/// One column of a trace as plain arrays: sample times in milliseconds and their values.
///
/// The replay reads a series as a step function (zero-order hold): the value at time `t` is the
/// value of the latest sample taken at or before `t`. Callers adapt whatever trace type they read
/// (CSV, Prometheus `query_range`, a cluster trace) into this shape; the replay module itself
/// never touches files.
public struct ReplaySeries: Hashable, Sendable {
  /// The column name, used to map HPA metrics to this series and in error messages.
  public var name: String
  /// Sample times in milliseconds since the trace's epoch, strictly increasing.
  public var timestampsMilliseconds: [Int64]
  /// Sample values, one per timestamp, in the column's unit (requests/s, cores, queue length…).
  public var values: [Double]

  /// Creates a series.
  ///
  /// - Parameters:
  ///   - name: The column name.
  ///   - timestampsMilliseconds: Sample times in milliseconds, strictly increasing.
  ///   - values: Sample values, one per timestamp, finite.
  public init(name: String, timestampsMilliseconds: [Int64], values: [Double]) {
    self.name = name
    self.timestampsMilliseconds = timestampsMilliseconds
    self.values = values
  }

  /// Checks the shape the replay relies on: equal lengths, at least one sample, strictly
  /// increasing times, finite values (and non-negative ones when `nonNegative` is set).
  ///
  /// - Parameter nonNegative: Whether negative values are rejected (demand must be ≥ 0).
  /// - Throws: `ReplayError` naming the series and the first offending sample.
  func validate(nonNegative: Bool) throws(ReplayError) {
    guard timestampsMilliseconds.count == values.count else {
      throw .seriesLengthMismatch(
        series: name, timestamps: timestampsMilliseconds.count, values: values.count)
    }
    guard !values.isEmpty else { throw .emptySeries(series: name) }
    var previous = Int64.min
    for index in timestampsMilliseconds.indices {
      let time = timestampsMilliseconds[index]
      if index > 0 && time <= previous {
        throw .timestampsNotIncreasing(series: name, index: index, milliseconds: time)
      }
      previous = time
      let value = values[index]
      if !value.isFinite || (nonNegative && value < 0) {
        throw .invalidValue(series: name, index: index, value: value)
      }
    }
  }
}

/// A forward-only reader of a `ReplaySeries` as a step function, O(1) amortized per lookup.
///
/// Lookups must come in non-decreasing time order, which a replay guarantees.
struct SeriesCursor {
  private let timestamps: [Int64]
  private let values: [Double]
  private var index: Int = 0

  /// Creates a cursor at the start of `series`.
  init(_ series: ReplaySeries) {
    timestamps = series.timestampsMilliseconds
    values = series.values
  }

  /// The value of the latest sample at or before `time` (the first sample's value before it).
  ///
  /// - Parameter time: Milliseconds; never smaller than in the previous call.
  /// - Returns: The held value.
  mutating func value(at time: Int64) -> Double {
    let last = timestamps.count - 1
    while index < last && timestamps[index + 1] <= time { index += 1 }
    return values[index]
  }
}
