extension Quantity: CustomStringConvertible {
  /// The canonical text of the quantity, as apimachinery's `String()` prints it.
  ///
  /// Decimal formats print the smallest mantissa whose exponent is a multiple of three with
  /// the matching SI suffix (`1500m`, `2k`, `100M`) or `e<N>` for ``Format/decimalExponent``.
  /// Binary quantities print in powers of 1024 (`1536Mi`, `1Gi`), except amounts below 1024
  /// or with a fraction of a unit, which print in decimal SI, as upstream does. (Upstream
  /// returns the text it parsed unchanged when that text was already canonical; the two differ
  /// only for a leading `+`.)
  public var description: String {
    if nanoValue == 0 { return "0" }
    if format == .binarySI {
      let limit = 1024 * Self.nanosPerUnit
      let isSmall = nanoValue > -limit && nanoValue < limit
      if !isSmall && nanoValue % Self.nanosPerUnit == 0 {
        var amount = nanoValue / Self.nanosPerUnit
        var power = 0
        while power < 6 && amount % 1024 == 0 {
          amount /= 1024
          power += 1
        }
        let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
        return "\(amount)\(suffixes[power])"
      }
    }
    var mantissa = nanoValue
    var exponent = -9
    while mantissa % 10 == 0 {
      mantissa /= 10
      exponent += 1
    }
    while exponent % 3 != 0 {
      mantissa *= 10
      exponent -= 1
    }
    if format == .decimalExponent {
      return exponent == 0 ? "\(mantissa)" : "\(mantissa)e\(exponent)"
    }
    let suffix: String
    switch exponent {
    case -9: suffix = "n"
    case -6: suffix = "u"
    case -3: suffix = "m"
    case 0: suffix = ""
    case 3: suffix = "k"
    case 6: suffix = "M"
    case 9: suffix = "G"
    case 12: suffix = "T"
    case 15: suffix = "P"
    case 18: suffix = "E"
    default: suffix = "e\(exponent)"
    }
    return "\(mantissa)\(suffix)"
  }
}

extension Quantity: Codable {
  /// Decodes a quantity from a JSON string (`"500m"`) or a JSON number (`0.5`), as
  /// apimachinery's `UnmarshalJSON` accepts both.
  ///
  /// - Parameter decoder: The decoder to read from.
  /// - Throws: `DecodingError.dataCorrupted` carrying the ``QuantityError`` message.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text: String
    if let string = try? container.decode(String.self) {
      text = string
    } else if let integer = try? container.decode(Int64.self) {
      text = String(integer)
    } else if let number = try? container.decode(Double.self), number.isFinite {
      text = "\(number)"
    } else {
      throw DecodingError.dataCorruptedError(
        in: container,
        debugDescription: "expected a quantity (a string such as \"500m\" or a number)")
    }
    do {
      self = try Quantity(parsing: text)
    } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  /// Encodes the canonical text (``description``) as a JSON string.
  ///
  /// - Parameter encoder: The encoder to write to.
  /// - Throws: Whatever the encoder throws.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}
