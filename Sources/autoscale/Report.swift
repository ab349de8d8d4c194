import AutoscalingReplay
import Foundation

/// Collects a replay's timeline into at most `maximumBuckets` buckets, so a month of 15-s steps
/// still draws as a few hundred points (memory bounded by the bucket count, not the trace).
struct TimelineBuckets {
  struct Bucket {
    var startMilliseconds: Int64 = 0
    var steps = 0
    var demandSum = 0.0
    var demandMax = 0.0
    var capacitySum = 0.0
    var capacityMin = Double.infinity
    var unservedMax = 0.0
    var desiredMax = 0
    var readySum = 0.0
    var replicasMax = 0
    var metricSums: [Double] = []
    var metricCounts: [Int] = []

    var demand: Double { demandSum / Double(max(steps, 1)) }
    var capacity: Double { capacitySum / Double(max(steps, 1)) }
    var ready: Double { readySum / Double(max(steps, 1)) }
    func metric(_ index: Int) -> Double {
      metricCounts[index] > 0 ? metricSums[index] / Double(metricCounts[index]) : .nan
    }
  }

  let stepsPerBucket: Int
  private(set) var buckets: [Bucket] = []
  /// The first row's readings (targets and whether they are percentages).
  private(set) var readings: [ReplayMetricReading] = []
  private var current = Bucket()

  init(totalSteps: Int, maximumBuckets: Int = 720) {
    stepsPerBucket = max(1, (totalSteps + maximumBuckets - 1) / maximumBuckets)
    buckets.reserveCapacity(maximumBuckets + 1)
  }

  mutating func add(_ row: ReplayTimelineRow) {
    if current.steps == 0 {
      current.startMilliseconds = row.timeMilliseconds
      if current.metricSums.count != row.metrics.count {
        current.metricSums = Array(repeating: 0, count: row.metrics.count)
        current.metricCounts = Array(repeating: 0, count: row.metrics.count)
      }
      if readings.isEmpty { readings = row.metrics }
    }
    current.steps += 1
    current.demandSum += row.demand
    current.demandMax = max(current.demandMax, row.demand)
    current.capacitySum += row.readyCapacity
    current.capacityMin = min(current.capacityMin, row.readyCapacity)
    current.unservedMax = max(current.unservedMax, row.unservedDemand)
    current.desiredMax = max(current.desiredMax, row.desiredReplicas)
    current.readySum += Double(row.readyReplicas)
    current.replicasMax = max(current.replicasMax, row.replicas)
    for (index, reading) in row.metrics.enumerated() where reading.current.isFinite {
      current.metricSums[index] += reading.current
      current.metricCounts[index] += 1
    }
    if current.steps == stepsPerBucket { finish() }
  }

  mutating func finish() {
    guard current.steps > 0 else { return }
    buckets.append(current)
    let width = current.metricSums.count
    current = Bucket()
    current.metricSums = Array(repeating: 0, count: width)
    current.metricCounts = Array(repeating: 0, count: width)
  }
}

/// What the report says about its inputs.
struct ReportContext {
  var title: String
  var inputs: [(String, String)]
  var metricNames: [String]
  var demandName: String
  var stepMilliseconds: Int64
}

/// Renders the self-contained HTML report: inline CSS and SVG, no scripts, no external files.
enum ReportRenderer {
  /// The start of every report page: doctype, title, the shared style sheet followed by
  /// `style` (the page's own rules), and the page's heading.
  static func pageStart(title: String, style: String = "") -> String {
    """
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8">
    <title>\(escape(title))</title>
    <style>
    body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px auto;max-width:1100px;color:#1d2430;background:#fff}
    h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde2ea;padding-bottom:4px}
    p.sub{color:#5b6475;margin:0 0 16px}
    table{border-collapse:collapse;font-size:13px} td,th{padding:4px 10px;border-bottom:1px solid #eef1f5;text-align:left;vertical-align:top}
    td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap} th{background:#f5f7fa}
    svg{display:block;background:#fcfdfe;border:1px solid #e6e9ef;border-radius:4px}
    .legend{font-size:12px;color:#3a4252;margin:4px 0 14px} .legend span{margin-right:14px;white-space:nowrap}
    .sw{display:inline-block;width:14px;height:3px;vertical-align:middle;margin-right:5px}
    \(style)
    </style></head><body>
    <h1>\(escape(title))</h1>

    """
  }

  static func html(card: Scorecard, buckets: TimelineBuckets, context: ReportContext) -> String {
    var html = ReportRenderer.pageStart(
      title: context.title, style: ".grid{display:grid;grid-template-columns:1fr 1fr;gap:24px}")
    html += """
      <p class="sub">Replay of a HorizontalPodAutoscaler over a demand trace: what the autoscaler would have done.</p>

      """
    html += "<div class=\"grid\"><div><h2>Scorecard</h2>\n" + scorecardTable(card) + "</div>\n"
    html += "<div><h2>Inputs</h2>\n<table>\n"
    for (key, value) in context.inputs {
      html += "<tr><th>\(escape(key))</th><td>\(escape(value))</td></tr>\n"
    }
    html += "</table></div></div>\n"

    let data = buckets.buckets
    let times = data.map(\.startMilliseconds)
    html += "<h2>Demand and ready capacity</h2>\n"
    html += legend([
      ("#2f6fdf", "demand (\(context.demandName))"), ("#1a9b5b", "ready capacity"),
      ("#e5484d", "unserved (shaded)"),
    ])
    html += chart(
      times: times,
      lines: [
        ChartLine(values: data.map(\.capacity), color: "#1a9b5b", step: true),
        ChartLine(values: data.map(\.demand), color: "#2f6fdf"),
      ],
      bands: data.map { $0.unservedMax > 0 }, yLabel: context.demandName)
    html += "<h2>Replicas</h2>\n"
    html += legend([
      ("#e38a1c", "desired (HPA)"), ("#1a9b5b", "ready"), ("#8a93a6", "running (not terminating)"),
    ])
    html += chart(
      times: times,
      lines: [
        ChartLine(values: data.map { Double($0.replicasMax) }, color: "#8a93a6", step: true),
        ChartLine(values: data.map(\.ready), color: "#1a9b5b", step: true),
        ChartLine(
          values: data.map { Double($0.desiredMax) }, color: "#e38a1c", step: true, dashed: true),
      ],
      bands: [], yLabel: "replicas", integerAxis: true)
    for (index, name) in context.metricNames.enumerated() {
      let reading = buckets.readings.indices.contains(index) ? buckets.readings[index] : nil
      let target = reading?.target ?? .nan
      let unit = reading?.isPercent == true ? " %" : ""
      html += "<h2>\(escape(name)) vs target</h2>\n"
      html += legend([
        ("#7c4dcc", "current (as the HPA read it)"),
        ("#e5484d", "target \(NumberText.format(target))\(unit)"),
      ])
      let values = data.map { $0.metricSums.indices.contains(index) ? $0.metric(index) : .nan }
      html += chart(
        times: times,
        lines: [
          ChartLine(
            values: Array(repeating: target, count: data.count), color: "#e5484d", dashed: true),
          ChartLine(values: values, color: "#7c4dcc"),
        ],
        bands: [], yLabel: unit.isEmpty ? name : unit)
    }
    html += "<p class=\"sub\">Each point is the mean (replicas: the maximum) over "
    html += "\(buckets.stepsPerBucket) step(s) of \(context.stepMilliseconds / 1000) s. "
    html += "Times are UTC.</p>\n</body></html>\n"
    return html
  }

  static func scorecardTable(_ card: Scorecard) -> String {
    var html = "<table>\n"
    for row in ScorecardRows.rows(card) {
      html += "<tr><th>\(escape(row.label))</th><td class=\"num\">\(escape(row.value))</td>"
      html += "<td>\(escape(row.meaning))</td></tr>\n"
    }
    return html + "</table>\n"
  }

  /// A row of colour swatches with their labels.
  static func legend(_ entries: [(String, String)]) -> String {
    var html = "<div class=\"legend\">"
    for (color, label) in entries {
      html += "<span><i class=\"sw\" style=\"background:\(color)\"></i>\(escape(label))</span>"
    }
    return html + "</div>\n"
  }

  struct ChartLine {
    var values: [Double]
    var color: String
    var step = false
    var dashed = false
  }

  /// One SVG line chart, 1040 × 260, with y ticks, UTC time ticks and shaded bands.
  static func chart(
    times: [Int64], lines: [ChartLine], bands: [Bool], yLabel: String, integerAxis: Bool = false
  ) -> String {
    let width = 1040.0
    let height = 260.0
    let left = 64.0
    let right = 16.0
    let top = 12.0
    let bottom = 34.0
    let plotWidth = width - left - right
    let plotHeight = height - top - bottom
    guard let first = times.first, let last = times.last else {
      return "<p>(no data)</p>\n"
    }
    var maximum = 0.0
    for line in lines {
      for value in line.values where value.isFinite { maximum = max(maximum, value) }
    }
    let ticks = niceTicks(maximum: maximum, integer: integerAxis)
    let yMax = ticks.last ?? 1
    let span = Double(max(last - first, 1))
    let slot = plotWidth / Double(max(times.count, 1))
    func x(_ index: Int) -> Double {
      left + Double(times[index] - first) / span * (plotWidth - slot)
    }
    func y(_ value: Double) -> Double { top + plotHeight - value / yMax * plotHeight }
    var svg =
      "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" "
      + "aria-label=\"\(escape(yLabel)) over time\" xmlns=\"http://www.w3.org/2000/svg\">\n"
    for (index, shaded) in bands.enumerated() where shaded && index < times.count {
      svg += "<rect x=\"\(f(x(index)))\" y=\"\(f(top))\" width=\"\(f(max(slot, 1)))\" "
      svg += "height=\"\(f(plotHeight))\" fill=\"#e5484d\" fill-opacity=\"0.18\"/>\n"
    }
    for tick in ticks {
      svg +=
        "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(tick)))\" y2=\"\(f(y(tick)))\" "
      svg += "stroke=\"#e6e9ef\"/>\n"
      svg +=
        "<text x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" font-size=\"11\" text-anchor=\"end\" "
      svg += "fill=\"#5b6475\">\(escape(NumberText.format(tick, digits: 2)))</text>\n"
    }
    for (time, label) in timeTicks(first: first, last: last) {
      let position = left + Double(time - first) / span * (plotWidth - slot)
      svg +=
        "<line x1=\"\(f(position))\" x2=\"\(f(position))\" y1=\"\(f(top))\" y2=\"\(f(top + plotHeight))\" "
      svg += "stroke=\"#f0f2f6\"/>\n"
      svg +=
        "<text x=\"\(f(position))\" y=\"\(f(height - 12))\" font-size=\"11\" text-anchor=\"middle\" "
      svg += "fill=\"#5b6475\">\(escape(label))</text>\n"
    }
    svg += "<text x=\"14\" y=\"\(f(top + plotHeight / 2))\" font-size=\"11\" fill=\"#5b6475\" "
    svg += "transform=\"rotate(-90 14 \(f(top + plotHeight / 2)))\" text-anchor=\"middle\">"
    svg += "\(escape(yLabel))</text>\n"
    for line in lines {
      var path = ""
      var pen = false
      for index in line.values.indices where index < times.count {
        let value = line.values[index]
        guard value.isFinite else {
          pen = false
          continue
        }
        let px = x(index)
        let py = y(min(value, yMax))
        if !pen {
          path += "M\(f(px)) \(f(py))"
          pen = true
        } else if line.step {
          path += "H\(f(px))V\(f(py))"
        } else {
          path += "L\(f(px)) \(f(py))"
        }
        if line.step { path += "H\(f(px + slot))" }
      }
      guard !path.isEmpty else { continue }
      svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.6\""
      if line.dashed { svg += " stroke-dasharray=\"6 4\"" }
      svg += "/>\n"
    }
    svg +=
      "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" "
    svg += "fill=\"none\" stroke=\"#c9cfda\"/>\n</svg>\n"
    return svg
  }

  /// About five round tick values from 0 to at least `maximum`.
  static func niceTicks(maximum: Double, integer: Bool) -> [Double] {
    let top = max(maximum, integer ? 1 : 1e-9)
    let raw = top / 5
    let magnitude = pow(10, floor(log10(raw)))
    var step = magnitude
    for factor in [1.0, 2, 2.5, 5, 10] where raw <= factor * magnitude {
      step = factor * magnitude
      break
    }
    if integer { step = max(1, step.rounded(.up)) }
    var ticks: [Double] = []
    var value = 0.0
    while value < top + step * 0.999 && ticks.count < 12 {
      ticks.append(value)
      value += step
    }
    if (ticks.last ?? 0) < top { ticks.append(value) }
    return ticks
  }

  /// Up to about eight time ticks at round UTC boundaries, labelled by date or time.
  static func timeTicks(first: Int64, last: Int64) -> [(Int64, String)] {
    let span = last - first
    let choices: [Int64] = [
      60_000, 300_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000,
      86_400_000, 172_800_000, 604_800_000,
    ]
    let interval = choices.first { span / $0 <= 8 } ?? 2_592_000_000
    var ticks: [(Int64, String)] = []
    var time = (first / interval + (first % interval == 0 ? 0 : 1)) * interval
    let formatter = DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat =
      interval >= 86_400_000 ? "MMM d" : (span > 86_400_000 ? "MMM d HH:mm" : "HH:mm")
    while time <= last && ticks.count < 12 {
      ticks.append((time, formatter.string(from: Date(timeIntervalSince1970: Double(time) / 1000))))
      time += interval
    }
    return ticks
  }

  private static func f(_ value: Double) -> String { NumberText.format(value, digits: 1) }

  static func escape(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      default: result.append(character)
      }
    }
    return result
  }
}

/// The scorecard as labelled rows with units, shared by the table, the report and `--json`'s
/// human counterpart.
enum ScorecardRows {
  struct Row {
    var key: String
    var label: String
    var value: String
    var meaning: String
  }

  static func rows(_ card: Scorecard) -> [Row] {
    func percent(_ x: Double) -> String { NumberText.format(x * 100, digits: 2) + " %" }
    return [
      Row(
        key: "underProvisionedTimeShare", label: "Under-provisioned time (τU)",
        value: percent(card.underProvisionedTimeShare),
        meaning: "share of time with fewer ready pods than demand needs (demand unserved)"),
      Row(
        key: "underProvisioningAccuracy", label: "Under-provisioning accuracy (θU)",
        value: percent(card.underProvisioningAccuracy),
        meaning: "mean shortfall relative to the replicas needed"),
      Row(
        key: "overProvisionedTimeShare", label: "Over-provisioned time (τO)",
        value: percent(card.overProvisionedTimeShare),
        meaning: "share of time with more ready pods than needed"),
      Row(
        key: "overProvisioningAccuracy", label: "Over-provisioning accuracy (θO)",
        value: percent(card.overProvisioningAccuracy),
        meaning: "mean excess relative to the replicas needed"),
      Row(
        key: "unservedDemand", label: "Unserved demand",
        value: NumberText.format(card.unservedDemand, digits: 1),
        meaning: "demand above ready capacity × seconds (requests, for requests/s)"),
      Row(
        key: "replicaSeconds", label: "Replica-hours",
        value: NumberText.format(card.replicaSeconds / 3600, digits: 2),
        meaning: "cost: pods running × time"),
      Row(
        key: "meanReplicas", label: "Mean replicas",
        value: NumberText.format(card.meanReplicas, digits: 2),
        meaning: "replica-seconds / duration"),
      Row(
        key: "maxReplicas", label: "Max replicas", value: "\(card.maxReplicas)",
        meaning: "most pods running at once"),
      Row(
        key: "scalingActions", label: "Scaling actions", value: "\(card.scalingActions)",
        meaning: "reconciles that changed the replica count"),
      Row(
        key: "scalingActionsPerHour", label: "Scaling actions per hour",
        value: NumberText.format(card.scalingActionsPerHour, digits: 2), meaning: "flapping rate"),
      Row(
        key: "directionReversals", label: "Direction reversals",
        value: "\(card.directionReversals)",
        meaning: "scale-ups after scale-downs and vice versa"),
      Row(
        key: "jitter", label: "Jitter", value: NumberText.format(card.jitter, digits: 2) + " /h",
        meaning: "supply changes − demand changes per hour (< 0 sluggish, > 0 oscillating)"),
      Row(
        key: "timeToScaleP50Seconds", label: "Time to scale p50",
        value: NumberText.format(card.timeToScaleP50Seconds, digits: 1) + " s",
        meaning: "median length of under-provisioned episodes"),
      Row(
        key: "timeToScaleP95Seconds", label: "Time to scale p95",
        value: NumberText.format(card.timeToScaleP95Seconds, digits: 1) + " s",
        meaning: "95th percentile length of under-provisioned episodes"),
      Row(
        key: "pendingPodSeconds", label: "Pending pod-seconds",
        value: NumberText.format(card.pendingPodSeconds, digits: 1),
        meaning: "pods waiting to start × time"),
    ]
  }

  /// The rows as an aligned plain-text table.
  static func table(_ card: Scorecard) -> String {
    let rows = rows(card)
    let labelWidth = rows.map(\.label.count).max() ?? 0
    let valueWidth = rows.map(\.value.count).max() ?? 0
    return rows.map { row in
      row.label + String(repeating: " ", count: labelWidth - row.label.count + 2)
        + String(repeating: " ", count: valueWidth - row.value.count) + row.value + "  "
        + row.meaning
    }.joined(separator: "\n")
  }
}
