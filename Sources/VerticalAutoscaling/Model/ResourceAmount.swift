import AutoscalingCore

/// Conversions between the recommender's integer resource amounts (millicores for CPU, bytes
/// for memory) and floating-point cores and bytes, as upstream `recommender/model/types.go`.
///
/// Every conversion from a float clamps to `0...1e14` and truncates toward zero, so every
/// estimator step lands on a whole millicore or byte. NaN, which upstream converts with
/// platform-defined results, becomes 0 here.
public enum ResourceAmount: Sendable {
  /// The largest amount the recommender produces (upstream `MaxResourceAmount`, 1e14).
  public static let maxAmount: Int64 = 100_000_000_000_000

  /// Converts a float to an amount: negative and NaN become 0, values above 1e14 become
  /// 1e14, everything else is truncated toward zero (upstream `resourceAmountFromFloat`).
  ///
  /// - Parameter amount: A value in millicores or bytes.
  /// - Returns: The whole amount.
  @inline(__always)
  public static func fromFloat(_ amount: Double) -> Int64 {
    if !(amount >= 0) { return 0 }  // negative or NaN
    if amount > Double(maxAmount) { return maxAmount }
    return Int64(amount)
  }

  /// Converts cores to millicores, truncating (upstream `CPUAmountFromCores`).
  ///
  /// - Parameter cores: CPU in cores.
  /// - Returns: CPU in whole millicores.
  public static func cpu(fromCores cores: Double) -> Int64 { fromFloat(cores * 1000) }

  /// Converts millicores to cores (upstream `CoresFromCPUAmount`).
  ///
  /// - Parameter millicores: CPU in millicores.
  /// - Returns: CPU in cores.
  public static func cores(fromMillicores millicores: Int64) -> Double { Double(millicores) / 1000 }

  /// Converts bytes to a whole amount, truncating (upstream `MemoryAmountFromBytes`).
  ///
  /// - Parameter bytes: Memory in bytes.
  /// - Returns: Memory in whole bytes.
  public static func memory(fromBytes bytes: Double) -> Int64 { fromFloat(bytes) }

  /// Converts a whole byte amount to a float (upstream `BytesFromMemoryAmount`).
  ///
  /// - Parameter bytes: Memory in bytes.
  /// - Returns: The same amount as a float.
  public static func bytes(fromMemory bytes: Int64) -> Double { Double(bytes) }

  /// Scales an amount by a factor, truncating (upstream `ScaleResource`).
  ///
  /// - Parameters:
  ///   - amount: Millicores or bytes.
  ///   - factor: The factor; `0 × ∞` gives 0, never NaN.
  /// - Returns: `amount · factor`, clamped to `0...1e14`.
  @inline(__always)
  public static func scaled(_ amount: Int64, by factor: Double) -> Int64 {
    fromFloat(Double(amount) * factor)
  }

  /// Rounds a value up to a multiple of `scale` (upstream `RoundUpToScale`).
  ///
  /// - Parameters:
  ///   - value: Millicores or bytes.
  ///   - scale: The multiple (> 0), in the same unit.
  /// - Returns: `ceil(value / scale) · scale`, saturating at `Int64.max`.
  /// - Throws: ``VerticalAutoscalingError/nonPositiveScale(_:)`` when `scale ≤ 0`.
  public static func roundedUp(_ value: Int64, toMultipleOf scale: Int64)
    throws(VerticalAutoscalingError)
    -> Int64
  {
    guard scale > 0 else { throw .nonPositiveScale(scale) }
    var (quotient, remainder) = value.quotientAndRemainder(dividingBy: scale)
    if remainder > 0 { quotient += 1 }
    let (result, overflow) = quotient.multipliedReportingOverflow(by: scale)
    return overflow ? .max : result
  }

  /// Writes a byte amount with a binary suffix and two decimals (`1.50Gi`, `800.61Mi`), or
  /// as a plain integer below 1 KiB (upstream `HumanizeMemoryQuantity`).
  ///
  /// The two decimals are rounded as Go's `%.2f` rounds the float `bytes / 1024^k`
  /// (correctly, ties to even).
  ///
  /// - Parameter bytes: Memory in bytes.
  /// - Returns: The humanized text.
  public static func humanizedMemory(bytes: Int64) -> String {
    let units: [(shift: Int, suffix: String)] = [(40, "Ti"), (30, "Gi"), (20, "Mi"), (10, "Ki")]
    // Go converts to float64 first; do the same, then round the exact binary value.
    let asDouble = Double(bytes)
    for unit in units where asDouble >= Double(sign: .plus, exponent: unit.shift, significand: 1) {
      // asDouble is an integer below 2^63 with at most 53 significant bits: exact in Int128.
      let exact = Int128(asDouble)
      let hundredths = exact * 100
      let divisor = Int128(1) << unit.shift
      var (quotient, remainder) = hundredths.quotientAndRemainder(dividingBy: divisor)
      if remainder * 2 > divisor || (remainder * 2 == divisor && quotient % 2 == 1) {
        quotient += 1
      }
      let whole = quotient / 100
      let fraction = quotient % 100
      return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)\(unit.suffix)"
    }
    return "\(bytes)"
  }
}
