import AutoscalingCore

/// Floating-point helpers that reproduce Go's `math` package where upstream's results depend
/// on its exact rounding.
enum GoMath {
  /// `x` raised to `y`, rounded as Go's `math.Pow` rounds it.
  ///
  /// Go computes integer powers by binary exponentiation on the mantissa and exponent that
  /// `Frexp` returns, and a negative power as the reciprocal of the positive one. A C
  /// library's `pow` rounds once, so the two can differ in the last bit; the histogram
  /// bucket starts (`firstBucketSize·(ratio^i − 1)/(ratio − 1)`) and the confidence
  /// multipliers (`(1 + m/c)^e`) are asserted exactly upstream, hence this port. Non-integer
  /// exponents and special values go to the C library (`Math.pow`).
  ///
  /// - Parameters:
  ///   - x: The base.
  ///   - y: The exponent.
  /// - Returns: x^y.
  static func pow(_ x: Double, _ y: Double) -> Double {
    if y == 0 || x == 1 { return 1 }
    if y == 1 { return x }
    guard x.isFinite, x != 0, y.isFinite, y == y.rounded(.towardZero), y.magnitude < 0x1p62
    else { return Math.pow(x, y) }
    // Frexp: x = frac · 2^exp with |frac| in [0.5, 1).
    var x1 = x.significand / 2 * (x < 0 ? -1 : 1)
    var xe = Int(x.exponent) + 1
    var a1 = 1.0
    var ae = 0
    var i = Int64(y.magnitude)
    while i != 0 {
      if xe < -(1 << 12) || (1 << 12) < xe {
        // Overflow or underflow, as Go handles it.
        ae += xe
        break
      }
      if i & 1 == 1 {
        a1 *= x1
        ae += xe
      }
      x1 *= x1
      xe <<= 1
      if x1 < 0.5 {
        x1 += x1
        xe -= 1
      }
      i >>= 1
    }
    if y < 0 {
      a1 = 1 / a1
      ae = -ae
    }
    return ldexp(a1, ae)
  }

  /// `frac · 2^exp`, correctly rounded (Go's `math.Ldexp`).
  ///
  /// - Parameters:
  ///   - frac: The fraction.
  ///   - exp: The power of two.
  /// - Returns: The scaled value.
  static func ldexp(_ frac: Double, _ exp: Int) -> Double {
    if frac == 0 || !frac.isFinite { return frac }
    let clamped = max(-3000, min(3000, exp))
    // Split the scaling so that intermediate powers of two stay representable.
    var result = frac
    var remaining = clamped
    while remaining != 0 {
      let step = max(-1000, min(1000, remaining))
      result *= Double(sign: .plus, exponent: step, significand: 1)
      remaining -= step
    }
    return result
  }
}
