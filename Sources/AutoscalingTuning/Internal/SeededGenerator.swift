/// SplitMix64 (Steele, Lea and Flood, 2014): a small seeded generator whose sequence is the
/// same on every platform, so a seed fixes a search's candidates.
struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A value in `0..<bound` (bound ≥ 1), by Lemire's multiply-shift with rejection, so it
  /// does not depend on the standard library's sampling algorithm.
  mutating func below(_ bound: Int) -> Int {
    let range = UInt64(bound)
    let threshold = (0 &- range) % range
    while true {
      let (high, low) = range.multipliedFullWidth(by: next())
      if low >= threshold { return Int(high) }
    }
  }

  /// A permutation of `0..<count` (Fisher–Yates).
  mutating func permutation(_ count: Int) -> [Int] {
    var values = Array(0..<count)
    var index = count - 1
    while index > 0 {
      values.swapAt(index, below(index + 1))
      index -= 1
    }
    return values
  }
}

/// FNV-1a, 64 bits: a stable hash for fingerprints (the standard library's `Hasher` is
/// seeded per process).
enum StableHash {
  static func fnv1a(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    let digits = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
