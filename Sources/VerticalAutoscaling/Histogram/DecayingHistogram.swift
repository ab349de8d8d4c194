public import AutoscalingCore

/// A histogram whose samples lose half their weight every `halfLife`, so recent usage
/// dominates the percentiles.
///
/// Mirrors upstream `decayingHistogram` (`recommender/util/decaying_histogram.go`). Rather than
/// decaying old weights, each new sample is weighted up by `2^((t − reference)/halfLife)`;
/// when that exponent would exceed 100 the reference moves forward (to a multiple of
/// `halfLife` counted from Go's zero time) and all weights are scaled down by the matching
/// power of two. The reference starts at Go's zero time (``Instant/distantPast``), so the first
/// sample always moves it.
public struct DecayingHistogram: Hashable, Sendable {
  /// The underlying histogram holding the (up-weighted) samples.
  public private(set) var histogram: Histogram
  /// The half-life in milliseconds (> 0).
  public let halfLifeMilliseconds: Int64
  /// The instant at which a sample has its nominal weight.
  public private(set) var referenceTimestamp: Instant
  /// Samples after this instant renormalise first (`reference + 100 · halfLife`).
  private var maxAllowedTimestamp: Instant

  /// The largest exponent before the reference is moved (upstream `maxDecayExponent`).
  static let maxDecayExponent: Int64 = 100

  /// Creates an empty decaying histogram.
  ///
  /// - Parameters:
  ///   - options: The bucketing scheme.
  ///   - halfLife: The half-life of sample weights (> 0, whole milliseconds count).
  /// - Throws: ``VerticalAutoscalingError/invalidConfiguration(_:)`` when the half-life is not
  ///   positive.
  public init(options: HistogramOptions, halfLife: Duration) throws(VerticalAutoscalingError) {
    let milliseconds = halfLife.wholeMilliseconds
    guard milliseconds > 0 else {
      throw .invalidConfiguration("histogram half-life must be at least 1 ms, got \(halfLife)")
    }
    self.init(options: options, halfLifeMilliseconds: milliseconds)
  }

  init(options: HistogramOptions, halfLifeMilliseconds: Int64) {
    histogram = Histogram(options: options)
    self.halfLifeMilliseconds = max(1, halfLifeMilliseconds)
    referenceTimestamp = .distantPast
    maxAllowedTimestamp = Self.maxAllowed(
      reference: .distantPast, halfLifeMilliseconds: self.halfLifeMilliseconds)
  }

  private static func maxAllowed(reference: Instant, halfLifeMilliseconds: Int64) -> Instant {
    let (span, overflow) = halfLifeMilliseconds.multipliedReportingOverflow(by: maxDecayExponent)
    let (end, overflow2) = reference.millisecondsSinceEpoch.addingReportingOverflow(span)
    return Instant(millisecondsSinceEpoch: overflow || overflow2 ? .max : end)
  }

  /// The bucketing scheme.
  public var options: HistogramOptions { histogram.options }

  /// Adds a sample observed at `time`, as upstream `AddSample`.
  ///
  /// - Parameters:
  ///   - value: The sample value (cores or bytes).
  ///   - weight: The nominal weight (≥ 0).
  ///   - time: When the sample was observed.
  /// - Throws: ``VerticalAutoscalingError/invalidSampleWeight(_:)`` or
  ///   ``VerticalAutoscalingError/invalidSampleValue(_:)`` for negative/NaN input.
  public mutating func addSample(_ value: Double, weight: Double, at time: Instant)
    throws(VerticalAutoscalingError)
  {
    guard weight >= 0, weight.isFinite else { throw .invalidSampleWeight(weight) }
    guard !value.isNaN else { throw .invalidSampleValue(value) }
    addValidated(value, weight: weight, at: time)
  }

  /// Adds a sample whose value is not NaN and whose weight is finite and non-negative.
  @inline(__always)
  mutating func addValidated(_ value: Double, weight: Double, at time: Instant) {
    let factor = decayFactor(at: time)
    histogram.addValidated(bucket: histogram.options.bucket(for: value), weight: weight * factor)
  }

  /// Subtracts a sample observed at `time`, as upstream `SubtractSample`.
  ///
  /// - Parameters:
  ///   - value: The sample value (cores or bytes).
  ///   - weight: The nominal weight (≥ 0).
  ///   - time: When the sample was observed.
  /// - Throws: ``VerticalAutoscalingError/invalidSampleWeight(_:)`` or
  ///   ``VerticalAutoscalingError/invalidSampleValue(_:)`` for negative/NaN input.
  public mutating func subtractSample(_ value: Double, weight: Double, at time: Instant)
    throws(VerticalAutoscalingError)
  {
    guard weight >= 0, weight.isFinite else { throw .invalidSampleWeight(weight) }
    guard !value.isNaN else { throw .invalidSampleValue(value) }
    subtractValidated(value, weight: weight, at: time)
  }

  mutating func subtractValidated(_ value: Double, weight: Double, at time: Instant) {
    let factor = decayFactor(at: time)
    histogram.subtractValidated(
      bucket: histogram.options.bucket(for: value), weight: weight * factor)
  }

  /// Merges `other` into this histogram, as upstream `Merge`: the side with the older
  /// reference is first shifted to the younger reference.
  ///
  /// Upstream shifts `other` in place when it is older; here `other` is a value and is not
  /// changed.
  ///
  /// - Parameter other: A decaying histogram with the same options and half-life.
  /// - Throws: ``VerticalAutoscalingError/histogramOptionsMismatch`` when the schemes or the
  ///   half-lives differ (upstream panics).
  public mutating func merge(_ other: DecayingHistogram) throws(VerticalAutoscalingError) {
    guard halfLifeMilliseconds == other.halfLifeMilliseconds, options == other.options else {
      throw .histogramOptionsMismatch
    }
    var other = other
    if referenceTimestamp < other.referenceTimestamp {
      shiftReferenceTimestamp(to: other.referenceTimestamp)
    } else if other.referenceTimestamp < referenceTimestamp {
      other.shiftReferenceTimestamp(to: referenceTimestamp)
    }
    try histogram.merge(other.histogram)
  }

  /// Whether the histogram holds no bucket of at least epsilon.
  public var isEmpty: Bool { histogram.isEmpty }

  /// Returns the decayed percentile; see ``Histogram/percentile(_:)``.
  ///
  /// - Parameter percentile: A share of the weight, normally in 0...1.
  /// - Returns: A bucket boundary in the scheme's unit (0 when empty).
  public func percentile(_ percentile: Double) -> Double { histogram.percentile(percentile) }

  /// Whether two decaying histograms match as upstream `Equals` decides (same half-life and
  /// reference, histograms equal within 1e-15).
  ///
  /// - Parameter other: Another decaying histogram.
  /// - Returns: Whether they are equal within the tolerance.
  public func isApproximatelyEqual(to other: DecayingHistogram) -> Bool {
    halfLifeMilliseconds == other.halfLifeMilliseconds
      && referenceTimestamp == other.referenceTimestamp
      && histogram.isApproximatelyEqual(to: other.histogram)
  }

  /// The factor applied to a sample's weight at `time`; renormalises first when needed.
  @inline(__always)
  mutating func decayFactor(at time: Instant) -> Double {
    if time > maxAllowedTimestamp { shiftReferenceTimestamp(to: time) }
    let offset = Self.saturatingDifference(time, referenceTimestamp)
    return Math.exp2(Double(offset) / Double(halfLifeMilliseconds))
  }

  /// Moves the reference to `time` rounded to a multiple of the half-life and rescales the
  /// weights (upstream `shiftReferenceTimestamp`).
  mutating func shiftReferenceTimestamp(to time: Instant) {
    let newReference = Self.rounded(time, toMultipleOf: halfLifeMilliseconds)
    let offset = Self.saturatingDifference(referenceTimestamp, newReference)
    let exponent = (Double(offset) / Double(halfLifeMilliseconds) + 0.5).rounded(.down)
    histogram.scale(by: Math.exp2(exponent))
    referenceTimestamp = newReference
    maxAllowedTimestamp = Self.maxAllowed(
      reference: newReference, halfLifeMilliseconds: halfLifeMilliseconds)
  }

  /// `lhs − rhs` in milliseconds, saturating instead of overflowing.
  static func saturatingDifference(_ lhs: Instant, _ rhs: Instant) -> Int64 {
    let (difference, overflow) = lhs.millisecondsSinceEpoch.subtractingReportingOverflow(
      rhs.millisecondsSinceEpoch)
    if overflow { return lhs < rhs ? .min : .max }
    return difference
  }

  /// Rounds `time` to a multiple of `unit` milliseconds counted from Go's zero time, halves
  /// rounding up (Go's `time.Time.Round`).
  static func rounded(_ time: Instant, toMultipleOf unit: Int64) -> Instant {
    let offset = saturatingDifference(time, .distantPast)
    var remainder = offset % unit
    if remainder < 0 { remainder += unit }
    let down = time.millisecondsSinceEpoch &- remainder
    if remainder.magnitude * 2 < unit.magnitude { return Instant(millisecondsSinceEpoch: down) }
    let (up, overflow) = down.addingReportingOverflow(unit)
    return Instant(millisecondsSinceEpoch: overflow ? down : up)
  }

  /// Replaces the contents with a checkpoint, as upstream `LoadFromCheckpoint`: the buckets
  /// are added and the reference timestamp is overwritten.
  ///
  /// - Parameter checkpoint: A saved histogram.
  /// - Throws: ``VerticalAutoscalingError/invalidCheckpoint(_:)`` for a negative total weight
  ///   or a bucket index outside the scheme.
  public mutating func load(_ checkpoint: HistogramCheckpoint) throws(VerticalAutoscalingError) {
    try histogram.load(checkpoint)
    referenceTimestamp = checkpoint.referenceTimestamp ?? .distantPast
    maxAllowedTimestamp = Self.maxAllowed(
      reference: referenceTimestamp, halfLifeMilliseconds: halfLifeMilliseconds)
  }

  /// Saves the histogram, as upstream `SaveToChekpoint`: bucket weights scaled so the largest
  /// is 10000, the total weight, and the reference timestamp.
  ///
  /// - Returns: The checkpoint.
  public func checkpoint() -> HistogramCheckpoint {
    var result = histogram.checkpoint()
    result.referenceTimestamp = referenceTimestamp
    return result
  }
}
