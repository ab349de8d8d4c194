/// The band around a usage ratio of 1.0 inside which the HPA does not act (upstream
/// `Tolerances`, KEP-4951).
///
/// The band is `[1 − scaleDown, 1 + scaleUp]`, both ends inclusive, computed in floating
/// point as upstream does: with 0.1 a ratio of exactly 1.1 is within the band.
public struct Tolerances: Hashable, Sendable {
  /// How far below 1.0 the ratio may fall without a scale-down, as a fraction.
  public var scaleDown: Double
  /// How far above 1.0 the ratio may rise without a scale-up, as a fraction.
  public var scaleUp: Double

  /// Creates tolerances.
  ///
  /// - Parameters:
  ///   - scaleDown: The downward tolerance, as a fraction (0.1 = 10 %).
  ///   - scaleUp: The upward tolerance, as a fraction.
  public init(scaleDown: Double, scaleUp: Double) {
    self.scaleDown = scaleDown
    self.scaleUp = scaleUp
  }

  /// The same tolerance in both directions.
  ///
  /// - Parameter both: The tolerance, as a fraction.
  public init(_ both: Double) {
    self.init(scaleDown: both, scaleUp: both)
  }

  /// The controller's default, 0.1 both ways.
  public static let `default` = Tolerances(0.1)

  /// Whether `ratio` lies inside the band (upstream `Tolerances.isWithin`).
  ///
  /// - Parameter ratio: A usage ratio (current over target).
  /// - Returns: `true` when `1 − scaleDown ≤ ratio ≤ 1 + scaleUp`.
  public func isWithin(_ ratio: Double) -> Bool {
    (1.0 - scaleDown) <= ratio && ratio <= (1.0 + scaleUp)
  }
}
