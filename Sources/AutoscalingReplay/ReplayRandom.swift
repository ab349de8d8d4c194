/// Counter-based random numbers: a SplitMix64 finalizer over (seed, pod, step, stream).
///
/// Stateless, so a sample's noise depends only on who and when it is, not on the order in which
/// the replay happens to evaluate things: the same seed gives the same replay, bit for bit.
enum ReplayRandom {
  /// The SplitMix64 output function (Steele, Lea, Flood 2014) applied to `value`.
  @inline(__always)
  static func mix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform number in [−1, 1) for the given coordinates.
  ///
  /// - Parameters:
  ///   - seed: The caller's seed.
  ///   - pod: The pod's serial number.
  ///   - step: The step index (or any counter).
  ///   - stream: Separates independent uses (weights, per-resource noise).
  /// - Returns: A value in [−1, 1), with 53 random bits.
  @inline(__always)
  static func symmetric(seed: UInt64, pod: UInt64, step: UInt64, stream: UInt64) -> Double {
    symmetric(key: key(seed: seed, pod: pod, stream: stream), step: step)
  }

  /// The part of ``symmetric(seed:pod:step:stream:)`` that does not depend on the step, so a
  /// caller drawing many steps for one pod and stream computes it once.
  @inline(__always)
  static func key(seed: UInt64, pod: UInt64, stream: UInt64) -> UInt64 {
    mix(seed ^ (stream &* 0xD6E8_FEB8_6659_FD93) ^ (pod &* 0x9FB2_1C65_1E98_DF25))
  }

  /// ``symmetric(seed:pod:step:stream:)`` from a precomputed ``key(seed:pod:stream:)``.
  @inline(__always)
  static func symmetric(key: UInt64, step: UInt64) -> Double {
    let bits = mix(key ^ (step &* 0xC2B2_AE3D_27D4_EB4F))
    return Double(bits >> 11) * 0x1p-52 - 1
  }
}
