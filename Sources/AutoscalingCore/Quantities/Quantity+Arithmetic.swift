extension Quantity: AdditiveArithmetic {
  /// Saturates an overflowed Int128 result at the end of the range the operands pointed to.
  static func saturating(_ result: (partialValue: Int128, overflow: Bool), positive: Bool) -> Int128 {
    guard result.overflow else { return result.partialValue }
    return positive ? .max : .min
  }

  /// Returns the exact sum; the result keeps the format of `lhs`, as upstream's `Add` does.
  ///
  /// Sums beyond about ±1.7 × 10²⁹ base units saturate instead of trapping.
  ///
  /// - Parameters:
  ///   - lhs: A quantity.
  ///   - rhs: The quantity to add.
  /// - Returns: `lhs + rhs`.
  public static func + (lhs: Quantity, rhs: Quantity) -> Quantity {
    Quantity(
      nanoValue: saturating(
        lhs.nanoValue.addingReportingOverflow(rhs.nanoValue), positive: rhs.nanoValue > 0),
      format: lhs.nanoValue == 0 ? rhs.format : lhs.format)
  }

  /// Returns the exact difference; the result keeps the format of `lhs` (saturating).
  ///
  /// - Parameters:
  ///   - lhs: A quantity.
  ///   - rhs: The quantity to subtract.
  /// - Returns: `lhs − rhs`.
  public static func - (lhs: Quantity, rhs: Quantity) -> Quantity {
    Quantity(
      nanoValue: saturating(
        lhs.nanoValue.subtractingReportingOverflow(rhs.nanoValue), positive: rhs.nanoValue < 0),
      format: lhs.format)
  }

  /// Returns the quantity multiplied by a whole number, keeping its format (saturating).
  ///
  /// - Parameters:
  ///   - lhs: A quantity.
  ///   - rhs: The multiplier.
  /// - Returns: `lhs × rhs`.
  public static func * (lhs: Quantity, rhs: Int64) -> Quantity {
    Quantity(
      nanoValue: saturating(
        lhs.nanoValue.multipliedReportingOverflow(by: Int128(rhs)),
        positive: (lhs.nanoValue < 0) == (rhs < 0)),
      format: lhs.format)
  }

  /// Returns the negated quantity, keeping its format.
  ///
  /// - Parameter operand: A quantity.
  /// - Returns: `−operand`.
  public static prefix func - (operand: Quantity) -> Quantity {
    Quantity(
      nanoValue: operand.nanoValue == .min ? .max : -operand.nanoValue, format: operand.format)
  }
}
