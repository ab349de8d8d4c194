/// A Kubernetes resource quantity (`500m`, `1.5Gi`, `2e3`), held exactly.
///
/// Mirrors apimachinery's `resource.Quantity`: a parsed quantity is rounded away from zero to
/// the nearest nano-unit (10⁻⁹), exactly as upstream rounds, and is stored as an exact count of
/// nano-units. A quantity remembers the ``Format`` it was written in, which decides how it is
/// printed back (``description``), as upstream's `String()` does.
///
/// ```swift
/// let cpu = try Quantity(parsing: "1500m")
/// cpu.milliValue        // 1500
/// cpu.value             // 2 (rounded up, as upstream's Value())
/// try Quantity(parsing: "1.5Gi").value   // 1_610_612_736
/// ```
public struct Quantity: Hashable, Comparable, Sendable {
  /// How a quantity is written: the suffix family upstream chose when it was parsed.
  public enum Format: String, Hashable, Sendable, Codable {
    /// Decimal SI suffixes (`n`, `u`, `m`, ``, `k`, `M`, `G`, `T`, `P`, `E`).
    case decimalSI = "DecimalSI"
    /// Binary SI suffixes (`Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei`).
    case binarySI = "BinarySI"
    /// Decimal exponent notation (`1e3`, `5E-3`).
    case decimalExponent = "DecimalExponent"
  }

  /// The exact amount in nano-units (10⁻⁹ of the base unit: cores, bytes, GPUs, …).
  public var nanoValue: Int128

  /// The format used when the quantity is printed.
  public var format: Format

  /// Creates a quantity from an exact count of nano-units.
  ///
  /// - Parameters:
  ///   - nanoValue: The amount in nano-units (10⁻⁹ of the base unit).
  ///   - format: How the quantity is printed.
  public init(nanoValue: Int128, format: Format = .decimalSI) {
    self.nanoValue = nanoValue
    self.format = format
  }

  /// Creates a quantity of whole base units (cores, bytes, GPUs).
  ///
  /// - Parameters:
  ///   - value: The amount in base units.
  ///   - format: How the quantity is printed.
  public init(_ value: Int64, format: Format = .decimalSI) {
    self.init(nanoValue: Int128(value) * Self.nanosPerUnit, format: format)
  }

  /// Creates a quantity of thousandths of a base unit (millicores for CPU).
  ///
  /// - Parameter milliValue: The amount in milli-units (10⁻³ of the base unit).
  public init(milliValue: Int64) {
    self.init(nanoValue: Int128(milliValue) * 1_000_000, format: .decimalSI)
  }

  /// The zero quantity, printed `0`.
  public static let zero = Quantity(nanoValue: 0)

  static let nanosPerUnit: Int128 = 1_000_000_000

  /// Whether the amount is exactly zero.
  public var isZero: Bool { nanoValue == 0 }

  /// The sign of the amount: -1, 0 or 1.
  public var signum: Int { nanoValue < 0 ? -1 : (nanoValue == 0 ? 0 : 1) }

  /// The amount in milli-units (millicores for CPU), rounded away from zero.
  ///
  /// Mirrors upstream `MilliValue()`: `100.5m` gives 101, `-100.5m` gives -101. Amounts
  /// beyond `Int64` saturate (upstream wraps around; we never return a wrapped number).
  public var milliValue: Int64 { Self.scaled(nanoValue, divisor: 1_000_000) }

  /// The amount in base units (cores, bytes, GPUs), rounded away from zero.
  ///
  /// Mirrors upstream `Value()`: `1500m` gives 2. Amounts beyond `Int64` saturate.
  public var value: Int64 { Self.scaled(nanoValue, divisor: Self.nanosPerUnit) }

  /// The amount in base units as a floating-point number (for reports and models, never for
  /// upstream decisions, which stay in integers).
  public var doubleValue: Double { Double(nanoValue) / 1e9 }

  /// Returns the amount scaled to `10^scale` units, rounded away from zero, as upstream's
  /// `ScaledValue(scale)`; saturates at `Int64`'s bounds.
  ///
  /// - Parameter scale: The power of ten of the unit, from -9 (nano) to 18 (exa).
  /// - Returns: The amount in that unit.
  public func scaledValue(_ scale: Int) -> Int64 {
    precondition((-9...18).contains(scale), "scale must lie in -9...18")
    var divisor: Int128 = 1
    for _ in 0..<(scale + 9) { divisor *= 10 }
    return Self.scaled(nanoValue, divisor: divisor)
  }

  static func scaled(_ nanos: Int128, divisor: Int128) -> Int64 {
    let (quotient, remainder) = nanos.quotientAndRemainder(dividingBy: divisor)
    var result = quotient
    if remainder > 0 { result += 1 } else if remainder < 0 { result -= 1 }
    if result > Int128(Int64.max) { return .max }
    if result < Int128(Int64.min) { return .min }
    return Int64(result)
  }

  /// Orders quantities by amount; the format plays no part.
  ///
  /// - Parameters:
  ///   - lhs: A quantity.
  ///   - rhs: Another quantity.
  /// - Returns: Whether `lhs` is smaller than `rhs`.
  public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.nanoValue < rhs.nanoValue }

  /// Two quantities are equal when their amounts are; the format plays no part, as in
  /// upstream's `Cmp` and `Equal`.
  ///
  /// - Parameters:
  ///   - lhs: A quantity.
  ///   - rhs: Another quantity.
  /// - Returns: Whether the amounts are equal.
  public static func == (lhs: Quantity, rhs: Quantity) -> Bool { lhs.nanoValue == rhs.nanoValue }

  /// Hashes the amount only, consistently with ``==(_:_:)``.
  ///
  /// - Parameter hasher: The hasher to feed.
  public func hash(into hasher: inout Hasher) { hasher.combine(nanoValue) }
}
