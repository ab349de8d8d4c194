/// Why a string is not a Kubernetes quantity.
public enum QuantityError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The text is empty.
  case empty
  /// The text does not follow `[+-]digits[.digits][suffix]`; `text` is what was given.
  case malformed(text: String)
  /// The suffix is not one Kubernetes knows (`Ki`, `m`, `e3`, …).
  case unknownSuffix(text: String, suffix: String)
  /// The amount lies beyond what this library represents (about ±1.7 × 10²⁹ base units).
  case outOfRange(text: String)

  /// A message for the person who wrote the quantity.
  public var description: String {
    switch self {
    case .empty:
      return "expected a quantity such as 500m, 2, 1.5Gi or 1e3, found an empty string"
    case .malformed(let text):
      return "expected a quantity such as 500m, 2, 1.5Gi or 1e3, found \"\(text)\""
    case .unknownSuffix(let text, let suffix):
      return
        "expected a quantity, found \"\(text)\": unknown suffix \"\(suffix)\" "
        + "(known: n u m k M G T P E Ki Mi Gi Ti Pi Ei, or an exponent e<N>)"
    case .outOfRange(let text):
      return
        "quantity \"\(text)\" is out of range (its magnitude must stay below about "
        + "1.7 × 10^29 base units)"
    }
  }
}
