/// How several samples that land on one timestamp (or one bucket) become one value.
public enum Aggregation: String, Hashable, Sendable, CaseIterable {
  /// The sum (total load of many pods).
  case sum
  /// The arithmetic mean.
  case mean
  /// The largest value.
  case max
  /// The smallest value.
  case min
  /// The last value in input order.
  case last
  /// The number of samples (request arrivals per bucket); the value itself is ignored.
  case count
}

/// What a reader does with a value that is empty, not a number, NaN or infinite.
public enum InvalidValuePolicy: Hashable, Sendable {
  /// Stop with an error naming the line and column (the default).
  case reject
  /// Drop the whole row and count it in the series' notes.
  case skipRow
}

/// What a reader does with a negative value.
public enum NegativeValuePolicy: Hashable, Sendable {
  /// Stop with an error naming the line and column (the default: demand is never negative).
  case reject
  /// Drop the whole row and count it in the series' notes.
  case skipRow
  /// Replace the value by zero and count it in the series' notes (for sensor noise such as
  /// the Alibaba GenAI memory file's -0.00001).
  case clampToZero
  /// Keep negative values (for signed metrics).
  case keep
}

/// What a reader does when a timestamp is earlier than the one before it.
public enum OrderPolicy: Hashable, Sendable {
  /// Stop with an error naming the line (the default).
  case reject
  /// Sort the rows by time (stable: equal times keep input order), noting it.
  case sort
}

/// What a reader does with two rows at the same timestamp when it is not folding rows.
public enum DuplicatePolicy: Hashable, Sendable {
  /// Stop with an error naming both lines (the default).
  case reject
  /// Keep the first row, dropping later ones (noted).
  case keepFirst
  /// Keep the last row (noted).
  case keepLast
  /// Combine them with an aggregation (noted).
  case combine(Aggregation)
}

/// The data-quality policies a reader applies; each default rejects, so nothing is changed
/// silently. Every row a policy drops or changes is counted in ``TraceSource/notes``.
public struct ReadPolicies: Hashable, Sendable {
  /// Empty, non-numeric, NaN or infinite values.
  public var invalidValues: InvalidValuePolicy
  /// Negative values.
  public var negativeValues: NegativeValuePolicy
  /// Timestamps out of order.
  public var order: OrderPolicy
  /// Repeated timestamps (when rows are not folded by a key or a bucket).
  public var duplicates: DuplicatePolicy

  /// Creates policies.
  ///
  /// - Parameters:
  ///   - invalidValues: For empty, non-numeric, NaN or infinite values.
  ///   - negativeValues: For negative values.
  ///   - order: For out-of-order timestamps.
  ///   - duplicates: For repeated timestamps.
  public init(
    invalidValues: InvalidValuePolicy = .reject, negativeValues: NegativeValuePolicy = .reject,
    order: OrderPolicy = .reject, duplicates: DuplicatePolicy = .reject
  ) {
    self.invalidValues = invalidValues
    self.negativeValues = negativeValues
    self.order = order
    self.duplicates = duplicates
  }

  /// Reject everything unusual (the default).
  public static let strict = ReadPolicies()
}

/// How rows that share a timestamp (or bucket) are turned into columns.
public enum RowGrouping: Hashable, Sendable {
  /// One row per timestamp; repeats follow ``ReadPolicies/duplicates``.
  case none
  /// Fold every row of a timestamp (or bucket) into one value per column with `aggregation`.
  /// With `key`, samples of one key within a bucket are averaged first, then keys are
  /// combined with `aggregation` (per-pod QPS summed into a total).
  case fold(aggregation: Aggregation, key: String?)
  /// One column per distinct value of `key` (named `<key value>` when one value column is
  /// read, `<column>[<key value>]` otherwise); samples of one key within a bucket are
  /// combined with `aggregation`; a key with no sample at a timestamp is filled by `fill`.
  case split(key: String, aggregation: Aggregation, fill: GapPolicy)
}

/// What fills a timestamp where a series has no sample.
public enum GapPolicy: Hashable, Sendable {
  /// Repeat the previous value (a gauge that was not scraped); before the first sample, the
  /// first value.
  case hold
  /// Use zero (a counter or a pod that did not exist).
  case zero
  /// Stop with an error naming the gap.
  case error
}
