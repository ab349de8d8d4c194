extension Quantity: AdditiveArithmetic {
  /// Returns the exact sum; the result keeps the format of `lhs`, as upstream's `Add` does.
  ///
  /// - Parameters:
  ///   - lhs: A quantity.
  ///   - rhs: The quantity to add.
  /// - Returns: `lhs + rhs`.
  public static func + (lhs: Quantity, rhs: Quantity) -> Quantity {
    Quantity(
      nanoValue: lhs.nanoValue + rhs.nanoValue, format: lhs.nanoValue == 0 ? rhs.format : lhs.format
    )
  }

  /// Returns the exact difference; the result keeps the format of `lhs`.
  ///
  /// - Parameters:
  ///   - lhs: A quantity.
  ///   - rhs: The quantity to subtract.
  /// - Returns: `lhs − rhs`.
  public static func - (lhs: Quantity, rhs: Quantity) -> Quantity {
    Quantity(nanoValue: lhs.nanoValue - rhs.nanoValue, format: lhs.format)
  }

  /// Returns the quantity multiplied by a whole number, keeping its format.
  ///
  /// - Parameters:
  ///   - lhs: A quantity.
  ///   - rhs: The multiplier.
  /// - Returns: `lhs × rhs`.
  public static func * (lhs: Quantity, rhs: Int64) -> Quantity {
    Quantity(nanoValue: lhs.nanoValue * Int128(rhs), format: lhs.format)
  }

  /// Returns the negated quantity, keeping its format.
  ///
  /// - Parameter operand: A quantity.
  /// - Returns: `−operand`.
  public static prefix func - (operand: Quantity) -> Quantity {
    Quantity(nanoValue: -operand.nanoValue, format: operand.format)
  }
}
