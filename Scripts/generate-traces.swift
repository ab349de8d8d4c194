// Generates the bundled synthetic traces in Traces/ (see Traces/README.md).
//
//   swift Scripts/generate-traces.swift Traces
//
// Deterministic: a SplitMix64 generator with a fixed seed per shape, and every value rounded to
// 0.01 so that last-ulp differences between C math libraries cannot change the output.
import Foundation

struct SplitMix64 {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// Uniform in [0, 1) with 53 random bits.
  mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
  /// Standard normal (Box–Muller, one value per call).
  mutating func normal() -> Double {
    let u1 = max(uniform(), 0x1p-53)
    let u2 = uniform()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }
}

let stepSeconds = 15
let days = 7
let count = days * 86_400 / stepSeconds + 1  // both ends included: 7 full days
let start: Int64 = 1_767_571_200_000  // 2026-01-05T00:00:00Z, a Monday

/// Daily shape in [0, 1]: low at 04:00 UTC, peak at 14:00 UTC (a smooth two-harmonic curve).
func daily(_ secondOfDay: Double) -> Double {
  let x = 2 * Double.pi * (secondOfDay - 14 * 3_600) / 86_400
  let value = 0.5 + 0.42 * cos(x) + 0.08 * cos(2 * x)
  return min(1, max(0, value))
}

func round2(_ value: Double) -> Double { (max(0, value) * 100).rounded() / 100 }

struct Shape {
  var name: String
  var seed: UInt64
  var generate: (_ index: Int, _ seconds: Double, _ rng: inout SplitMix64) -> Double
}

let shapes: [Shape] = [
  Shape(name: "diurnal_weekly", seed: 1) { _, t, rng in
    // 40–220 requests/s on weekdays, weekends at 55 %, 3 % multiplicative noise.
    let day = Int(t / 86_400)
    let weekend = day % 7 >= 5  // day 0 is a Monday
    let level = 40 + 180 * daily(t.truncatingRemainder(dividingBy: 86_400))
    return level * (weekend ? 0.55 : 1) * (1 + 0.03 * rng.normal())
  },
  Shape(name: "flash_crowd", seed: 2) { _, t, rng in
    // A quiet diurnal service (30–90 requests/s) hit on day 3 at 12:00 by a crowd: load rises
    // to 8× in 2 minutes, then decays with a 20-minute time constant.
    let base = 30 + 60 * daily(t.truncatingRemainder(dividingBy: 86_400))
    let spikeStart = 3 * 86_400.0 + 12 * 3_600
    var factor = 1.0
    if t >= spikeStart {
      let since = t - spikeStart
      let rise = min(1, since / 120)
      factor = 1 + 7 * rise * exp(-max(0, since - 120) / 1_200)
    }
    return base * factor * (1 + 0.04 * rng.normal())
  },
  Shape(name: "ramp", seed: 3) { _, t, rng in
    // A launch: 20 → 400 requests/s linearly over the 7 days, with a ±15 % daily swing.
    let progress = t / Double(days * 86_400)
    let level = 20 + 380 * progress
    let swing = 1 + 0.15 * (2 * daily(t.truncatingRemainder(dividingBy: 86_400)) - 1)
    return level * swing * (1 + 0.02 * rng.normal())
  },
  Shape(name: "batch_on_off", seed: 4) { _, t, rng in
    // Batch work: every 6 hours a 90-minute job at ~300 requests/s with 1-minute ramps;
    // 5 requests/s of background otherwise.
    let phase = t.truncatingRemainder(dividingBy: 6 * 3_600)
    let on = 90.0 * 60
    var level = 5.0
    if phase < on {
      let up = min(1, phase / 60)
      let down = min(1, (on - phase) / 60)
      level += 295 * min(up, down)
    }
    return level * (1 + 0.05 * rng.normal())
  },
  Shape(name: "noisy_plateau", seed: 5) { _, _, rng in
    // A flat 150 requests/s with 15 % noise and, in about 0.2 % of samples, a dip to 40 %.
    let dip = rng.uniform() < 0.002 ? 0.4 : 1
    return 150 * dip * (1 + 0.15 * rng.normal())
  },
]

let directory = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "Traces"
var generators = shapes.map { SplitMix64(state: $0.seed) }
var text = "# swift-autoscaling trace v1\n"
text += "# source: Scripts/generate-traces.swift (seeds 1-5, one per column)\n"
text +=
  "# description: synthetic request rates, 15 s resolution, 7 days from 2026-01-05T00:00:00Z\n"
for shape in shapes { text += "# unit \(shape.name): requests/s\n" }
text += "timestamp_ms," + shapes.map(\.name).joined(separator: ",") + "\n"
for index in 0..<count {
  let seconds = Double(index * stepSeconds)
  var line = String(start + Int64(index * stepSeconds) * 1_000)
  for (position, shape) in shapes.enumerated() {
    let value = round2(shape.generate(index, seconds, &generators[position]))
    line += "," + String(format: "%.2f", value)
  }
  text += line + "\n"
}
let path = "\(directory)/synthetic-7d-15s.csv"
try text.write(toFile: path, atomically: true, encoding: .utf8)
print("wrote \(path): \(count) rows, \(text.utf8.count) bytes")
