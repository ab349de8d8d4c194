import AutoscalingReplay
import Foundation

/// Text, JSON, HTML and Markdown renderings of a scoreboard run.
enum Rendering {
  /// The scorecard keys printed in the tables, with short headers (all keys go to JSON).
  static let columns: [Column] = [
    ("underProvisionedTimeShare", "τU %", true),
    ("underProvisioningAccuracy", "θU %", true),
    ("overProvisionedTimeShare", "τO %", true),
    ("overProvisioningAccuracy", "θO %", true),
    ("unservedDemand", "unserved", false),
    ("replicaSeconds", "replica-h", false),
    ("meanReplicas", "mean", false),
    ("maxReplicas", "max", false),
    ("scalingActions", "actions", false),
    ("directionReversals", "reversals", false),
    ("jitter", "jitter/h", false),
    ("timeToScaleP50Seconds", "tts p50 s", false),
    ("timeToScaleP95Seconds", "tts p95 s", false),
  ]

  static func cell(_ key: String, _ value: Double?, percent: Bool) -> String {
    guard let value, value.isFinite else { return "–" }
    if countKeys.contains(key) { return fixed(value, 0) }
    if percent { return fixed(value * 100, 2) }
    if key == "replicaSeconds" { return fixed(value / 3_600, 1) }
    if key == "unservedDemand" { return value >= 1e6 ? fixed(value / 1e6, 2) + "M" : fixed(value, 0) }
    return fixed(value, value.magnitude >= 100 ? 0 : 2)
  }

  /// Figures that are counts, printed without decimals.
  static let countKeys: Set<String> = [
    "maxReplicas", "scalingActions", "directionReversals", "oomKills", "evictions",
    "inPlaceResizes", "recommendations", "samples",
    "nodeLaunches", "nodeTerminations", "podsDisrupted",
  ]

  static func fixed(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
  }

  /// Rows of one family grouped into aligned text: one block per window.
  static func table(_ rows: [QualityRow], columns: [Column] = columns) -> String {
    var lines: [[String]] = [["trace", "configuration", "window"] + columns.map(\.header)]
    for row in rows {
      lines.append(
        [row.trace, row.configuration, row.window]
          + columns.map { cell($0.key, row.figures[$0.key], percent: $0.percent) })
    }
    return aligned(lines)
  }

  static func aligned(_ lines: [[String]]) -> String {
    guard let width = lines.first?.count else { return "" }
    var widths = Array(repeating: 0, count: width)
    for line in lines {
      for (index, field) in line.enumerated() where index < width {
        widths[index] = max(widths[index], field.count)
      }
    }
    return lines.map { line in
      line.enumerated().map { index, field in
        index < 3
          ? field.padding(toLength: widths[index], withPad: " ", startingAt: 0)
          : String(repeating: " ", count: max(0, widths[index] - field.count)) + field
      }.joined(separator: "  ")
    }.joined(separator: "\n")
  }

  // MARK: JSON

  static func encode(_ snapshot: ScoreboardSnapshot) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try encoder.encode(snapshot)
  }

  static func decode(path: String) throws -> ScoreboardSnapshot {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try decoder.decode(ScoreboardSnapshot.self, from: data)
  }

  // MARK: HTML

  static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  /// One small inline SVG: demand (grey area) against each configuration's ready capacity.
  static func svg(_ chart: TraceChart) -> String {
    let width = 560.0
    let height = 150.0
    let left = 44.0
    let bottom = 18.0
    let top = 6.0
    let plotWidth = width - left - 6
    let plotHeight = height - bottom - top
    let finite = (chart.demand + chart.lines.flatMap(\.capacity)).filter(\.isFinite)
    let peak = max(finite.max() ?? 1, 1e-9) * 1.05
    let count = max(chart.demand.count, 1)
    func x(_ index: Double) -> Double {
      left + plotWidth * index / Double(max(count - 1, 1))
    }
    func y(_ value: Double) -> Double { top + plotHeight * (1 - min(max(value, 0), peak) / peak) }
    func path(_ values: [Double], step: Bool, offset: Double = 0) -> String {
      var text = ""
      var previous: Double?
      for (index, value) in values.enumerated() where value.isFinite {
        let px = fixed(x(Double(index) + offset), 1)
        if let previous, step {
          text += " L\(px),\(fixed(y(previous), 1))"
        }
        text += (text.isEmpty ? "M" : " L") + "\(px),\(fixed(y(value), 1))"
        previous = value
      }
      return text
    }
    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
      + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(chart.trace))\">"
    svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" fill=\"#fafafa\" stroke=\"#ccc\"/>"
    for fraction in [0.0, 0.5, 1.0] {
      let value = peak / 1.05 * fraction
      svg += "<text x=\"\(left - 4)\" y=\"\(fixed(y(value) + 3, 1))\" font-size=\"9\" text-anchor=\"end\" fill=\"#555\">\(fixed(value, 0))</text>"
    }
    let hours = Double(chart.endMilliseconds - chart.startMilliseconds) / 3_600_000
    svg += "<text x=\"\(left)\" y=\"\(Int(height) - 4)\" font-size=\"9\" fill=\"#555\">0 h</text>"
    let split = fixed(x(chart.holdOutPoint), 1)
    svg += "<line x1=\"\(split)\" y1=\"\(top)\" x2=\"\(split)\" y2=\"\(fixed(top + plotHeight, 1))\" stroke=\"#888\" stroke-dasharray=\"3,3\"/>"
    svg += "<text x=\"\(split)\" y=\"\(Int(height) - 4)\" font-size=\"9\" text-anchor=\"middle\" fill=\"#555\">held-out →</text>"
    svg += "<text x=\"\(fixed(left + plotWidth, 1))\" y=\"\(Int(height) - 4)\" font-size=\"9\" text-anchor=\"end\" fill=\"#555\">\(fixed(hours, 1)) h</text>"
    let demandPath = path(chart.demand, step: false)
    if !demandPath.isEmpty {
      svg += "<path d=\"\(demandPath) L\(fixed(x(Double(chart.demand.count - 1)), 1)),\(fixed(y(0), 1)) L\(fixed(x(0), 1)),\(fixed(y(0), 1)) Z\" fill=\"#bbb\" fill-opacity=\"0.6\" stroke=\"none\"/>"
    }
    // Wider lines first, so identical capacities stay visible as nested strokes.
    for (index, line) in chart.lines.enumerated() {
      let color = palette[index % palette.count]
      let width = fixed(max(3.6 - 1.2 * Double(index), 1), 1)
      svg += "<path d=\"\(path(line.capacity, step: true, offset: line.firstPoint))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(width)\" stroke-opacity=\"0.8\" stroke-linejoin=\"round\"/>"
    }
    return svg + "</svg>"
  }

  static func html(_ snapshot: ScoreboardSnapshot, charts: [TraceChart]) -> String {
    var page = """
      <!doctype html><html lang="en"><head><meta charset="utf-8">
      <title>swift-autoscaling scoreboard</title>
      <style>
      body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222;max-width:1200px}
      table{border-collapse:collapse;margin:6px 0 14px}td,th{padding:2px 7px;border-bottom:1px solid #eee;text-align:right}
      td,th{white-space:nowrap;font-size:12px}td:nth-child(-n+3),th:nth-child(-n+3){text-align:left}.trace{display:inline-block;width:570px;margin:0 14px 14px 0;vertical-align:top}
      .trace h3{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
      .key span{display:inline-block;width:14px;height:3px;margin:0 4px 3px 10px;vertical-align:middle}h3{margin:4px 0;font-size:13px}
      </style></head><body>
      <h1>Scoreboard</h1>
      """
    page += "<p>\(escape(snapshot.machine)) · \(escape(snapshot.date))</p>"
    let configurations = charts.first?.lines.map(\.configuration) ?? []
    page += "<p class=\"key\"><span style=\"background:#bbb;height:8px\"></span>demand (bucket maximum)"
    for (index, name) in configurations.enumerated() {
      page += "<span style=\"background:\(palette[index % palette.count])\"></span>\(escape(name)) ready capacity (bucket minimum)" + (name == "tuned" ? ", held-out part only" : "")
    }
    page += "</p><p>Each chart is the whole trace; the dashed line starts the held-out last 25 %, "
    page += "which the tuned behavior never saw. Held-out replays start afresh from the Deployment's "
    page += "replicas, so every configuration begins there with the same pods.</p>"
    for chart in charts {
      page += "<div class=\"trace\"><h3>\(escape(chart.trace))</h3>\(svg(chart))</div>"
    }
    for family in ["hpa", "vpa", "nodes"] {
      let rows = snapshot.quality.filter { $0.family == family }
      guard !rows.isEmpty else { continue }
      let familyColumns = family == "vpa" ? VPAFamily.columns : Self.columns
      page += "<h2>\(family.uppercased())</h2><table><tr><th>trace</th><th>configuration</th><th>window</th>"
      page += familyColumns.map { "<th>\(escape($0.header))</th>" }.joined() + "</tr>"
      for row in rows.filter({ $0.window == "full" }) + rows.filter({ $0.window != "full" }) {
        page += "<tr><td>\(escape(row.trace))</td><td>\(escape(row.configuration))</td><td>\(row.window)</td>"
        page += familyColumns.map { "<td>\(cell($0.key, row.figures[$0.key], percent: $0.percent))</td>" }.joined()
        page += "</tr>"
      }
      page += "</table>"
    }
    if !snapshot.notes.isEmpty {
      page += "<h2>Notes</h2><ul>" + snapshot.notes.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
    }
    return page + "</body></html>\n"
  }

  // MARK: Markdown (README "Results")

  typealias Column = (key: String, header: String, percent: Bool)

  /// The HPA figures the README shows.
  static let hpaSummary: [Column] = [
    ("underProvisionedTimeShare", "τU %", true), ("overProvisionedTimeShare", "τO %", true),
    ("unservedDemand", "unserved", false), ("replicaSeconds", "replica-h", false),
    ("scalingActions", "actions", false), ("timeToScaleP95Seconds", "tts p95 s", false),
  ]

  /// A Markdown table of rows: trace, configuration, then one column per key.
  static func markdownTable(_ rows: [QualityRow], _ keys: [Column]) -> String {
    var text = "| trace | configuration | " + keys.map(\.header).joined(separator: " | ") + " |\n"
    text += "|---|---|" + keys.map { _ in "---:" }.joined(separator: "|") + "|\n"
    for row in rows {
      text += "| \(row.trace) | \(row.configuration) | "
      text += keys.map { cell($0.key, row.figures[$0.key], percent: $0.percent) }
        .joined(separator: " | ")
      text += " |\n"
    }
    return text + "\n"
  }

  /// The README section: machine, date, the held-out comparison per trace, speed figures.
  static func markdown(_ snapshot: ScoreboardSnapshot) -> String {
    var text = "_Generated by `Scripts/update-readme-results.sh` from "
    text += "`swift run -c release AutoscalingBenchmarks all --json results.json` on "
    text += "\(snapshot.machine), \(snapshot.date); do not edit by hand. The load average at "
    text += "the start is in the notes below; speed figures on this 2-core virtual machine vary "
    text += "by up to 2× from run to run, so compare ratios, not absolute times. Compare a later run "
    text += "with `AutoscalingBenchmarks all --compare results.json` (exit 1 when something got "
    text += "worse)._\n\n"
    let hpa = snapshot.quality.filter { $0.family == "hpa" && $0.window == "held-out" }
    if !hpa.isEmpty {
      text += "**HPA** (the seed, `../shared/manifests/ml-model-hpa.yaml` with `maxReplicas: 30`, vs "
      text += "upstream default behavior vs a "
      text += "behavior tuned on the first 75 %), scored on the held-out last 25 % of each trace. "
      text += "τU: share of time with fewer ready pods than demand needs; τO: share with more; "
      text += "unserved: demand × s above ready capacity; replica-h: cost; actions: replica-count "
      text += "changes; tts p95: 95th percentile time to catch up.\n\n"
      text += markdownTable(hpa, hpaSummary)
    }
    let whole = snapshot.quality.filter { $0.family == "hpa" && $0.window == "full" }
    if !whole.isEmpty {
      text += "Whole traces (what the held-out part misses, such as the flash crowd), upstream "
      text += "default vs the manifest's behavior:\n\n"
      text += markdownTable(whole, hpaSummary)
    }
    let vpa = snapshot.quality.filter { $0.family == "vpa" && $0.window == "held-out" }
    if !vpa.isEmpty {
      text += "**VPA** recommender (the initial requests with the VPA off, upstream defaults, and "
      text += "flags tuned on the first 75 %), held-out last 25 % of each container usage trace, "
      text += "one replica, Recreate. slack: share of the request unused; insufficient: share of "
      text += "CPU usage above the request; under-req. time: share of time with usage above it.\n\n"
      text += markdownTable(vpa, VPAFamily.columns)
    }
    if !snapshot.speed.isEmpty {
      text += "**Speed** (release, median of samples):\n\n| benchmark | ops/s | target |\n|---|---:|---|\n"
      for row in snapshot.speed {
        text += "| \(row.name) | \(formatted(row.operationsPerSecond)) | \(row.target) |\n"
      }
      text += "\n"
    }
    for note in snapshot.notes { text += "- \(note)\n" }
    return text
  }
}
