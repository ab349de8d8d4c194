import AutoscalingReplay
import Foundation

/// A vertical replay's timeline reduced to at most ~600 points for the report: per bucket the
/// maximum usage, the latest requests and recommendation band, and whether an OOM kill or an
/// eviction happened in it. Memory is bounded whatever the trace length.
struct RecommendChartBuckets {
  struct Bucket {
    var startMilliseconds: Int64
    var cpuUsage = Double.nan
    var memoryUsage = Double.nan
    var cpuRequest = Double.nan
    var memoryRequest = Double.nan
    var cpuBand: (lower: Double, target: Double, upper: Double) = (.nan, .nan, .nan)
    var memoryBand: (lower: Double, target: Double, upper: Double) = (.nan, .nan, .nan)
    var oom = false
    var eviction = false
  }

  let stepsPerBucket: Int
  let stepMilliseconds: Int64
  private(set) var buckets: [Bucket] = []
  private var stepsInBucket = 0

  init(totalSteps: Int, startMilliseconds: Int64, stepMilliseconds: Int64) {
    stepsPerBucket = max(1, (totalSteps + 599) / 600)
    self.stepMilliseconds = stepMilliseconds
    buckets.reserveCapacity(min(totalSteps, 601))
  }

  mutating func add(_ row: VerticalTimelineRow) {
    if buckets.isEmpty || stepsInBucket == stepsPerBucket {
      buckets.append(Bucket(startMilliseconds: row.timeMilliseconds))
      stepsInBucket = 0
    }
    stepsInBucket += 1
    let index = buckets.count - 1
    func larger(_ current: Double, _ new: Double?) -> Double {
      guard let new else { return current }
      return current.isNaN ? new : max(current, new)
    }
    buckets[index].cpuUsage = larger(buckets[index].cpuUsage, row.cpuUsageMillicores)
    buckets[index].memoryUsage = larger(buckets[index].memoryUsage, row.memoryUsageBytes)
    buckets[index].cpuRequest = row.cpuRequestMillicores
    buckets[index].memoryRequest = row.memoryRequestBytes
    func band(_ lower: Int64?, _ target: Int64?, _ upper: Int64?) -> (Double, Double, Double) {
      (
        lower.map(Double.init) ?? .nan, target.map(Double.init) ?? .nan,
        upper.map(Double.init) ?? .nan
      )
    }
    buckets[index].cpuBand = band(
      row.lowerBoundCpuMillicores, row.targetCpuMillicores, row.upperBoundCpuMillicores)
    buckets[index].memoryBand = band(
      row.lowerBoundMemoryBytes, row.targetMemoryBytes, row.upperBoundMemoryBytes)
    if row.oomKills > 0 { buckets[index].oom = true }
    if row.evictions > 0 { buckets[index].eviction = true }
  }

  mutating func finish() {}
}

/// The `recommend` HTML report: self-contained (inline CSS and SVG, no scripts).
enum RecommendReport {
  static func html(
    card: VerticalScorecard, chart: RecommendChartBuckets, title: String,
    inputs: [(String, String)]
  ) -> String {
    let e = ReportRenderer.escape
    var html = ReportRenderer.pageStart(
      title: title, style: ".grid{display:grid;grid-template-columns:1fr 1fr;gap:24px}")
    html += """
      <p class="sub">Replay of a VerticalPodAutoscaler over a usage trace: the recommendation band against usage.</p>

      """
    let rows: [(String, String)] = [
      ("CPU slack", NumberText.format(card.slackPercent, digits: 2) + " %"),
      (
        "Insufficient CPU (of usage)",
        NumberText.format(card.insufficientCpuPercent, digits: 2) + " %"
      ),
      (
        "Insufficient CPU (of time)",
        NumberText.format(card.insufficientCpuTimePercent, digits: 2) + " %"
      ),
      ("Throttled CPU", NumberText.format(card.throttledCpuPercent, digits: 2) + " %"),
      ("Memory slack", NumberText.format(card.memorySlackPercent, digits: 2) + " %"),
      ("OOM kills", "\(card.oomKills)"), ("Evictions", "\(card.evictions)"),
      ("In-place resizes", "\(card.inPlaceResizes)"),
      ("Mean CPU request", NumberText.format(card.meanRequestCpuMillicores, digits: 0) + " m"),
      (
        "Mean memory request",
        card.meanUsageMemoryBytes > 0
          ? RecommendCommand.mebibytes(card.meanRequestMemoryBytes) : "-"
      ),
    ]
    html += "<div class=\"grid\"><div><h2>Scorecard</h2>\n<table>\n"
    for (key, value) in rows {
      html += "<tr><th>\(e(key))</th><td class=\"num\">\(e(value))</td></tr>\n"
    }
    html += "</table></div>\n<div><h2>Inputs</h2>\n<table>\n"
    for (key, value) in inputs { html += "<tr><th>\(e(key))</th><td>\(e(value))</td></tr>\n" }
    html += "</table></div></div>\n"
    let legend =
      "<div class=\"legend\"><span><i class=\"sw\" style=\"background:#2f6fdf\"></i>usage (max per point)</span>"
      + "<span><i class=\"sw\" style=\"background:#7c4dcc;opacity:.3;height:10px\"></i>lower–upper bound</span>"
      + "<span><i class=\"sw\" style=\"background:#7c4dcc\"></i>target</span>"
      + "<span><i class=\"sw\" style=\"background:#1a9b5b\"></i>request</span>"
      + "<span><i class=\"sw\" style=\"background:#e5484d\"></i>OOM kill</span>"
      + "<span><i class=\"sw\" style=\"background:#e38a1c\"></i>eviction</span></div>\n"
    let data = chart.buckets
    if data.contains(where: { !$0.cpuUsage.isNaN }) {
      html += "<h2>CPU (millicores)</h2>\n" + legend
      html += svg(
        data, usage: data.map(\.cpuUsage), request: data.map(\.cpuRequest),
        band: data.map(\.cpuBand), scale: 1, label: "millicores")
    }
    if data.contains(where: { !$0.memoryUsage.isNaN }) {
      html += "<h2>Memory (MiB)</h2>\n" + legend
      html += svg(
        data, usage: data.map(\.memoryUsage), request: data.map(\.memoryRequest),
        band: data.map(\.memoryBand), scale: 1.0 / 1_048_576, label: "MiB")
    }
    html += "<p class=\"sub\">Each point covers \(chart.stepsPerBucket) step(s) of "
    html += "\(chart.stepMilliseconds / 1000) s; usage is the maximum, requests and the band the "
    html += "latest value. Times are UTC.</p>\n</body></html>\n"
    return html
  }

  static func svg(
    _ data: [RecommendChartBuckets.Bucket], usage: [Double], request: [Double],
    band: [(lower: Double, target: Double, upper: Double)], scale: Double, label: String
  ) -> String {
    let width = 1040.0
    let height = 280.0
    let left = 64.0
    let right = 16.0
    let top = 12.0
    let bottom = 34.0
    let plotWidth = width - left - right
    let plotHeight = height - top - bottom
    guard let first = data.first?.startMilliseconds, let last = data.last?.startMilliseconds
    else { return "<p>(no data)</p>\n" }
    // The axis follows usage, requests and the target; the early upper bound (huge while
    // confidence is low) is clipped at the top rather than flattening everything else.
    var maximum = 0.0
    for values in [usage, request, band.map(\.target)] {
      for value in values where value.isFinite { maximum = max(maximum, value * scale) }
    }
    maximum *= 1.25
    let ticks = ReportRenderer.niceTicks(maximum: maximum, integer: false)
    let yMax = ticks.last ?? 1
    let span = Double(max(last - first, 1))
    func x(_ time: Int64) -> Double { left + Double(time - first) / span * plotWidth }
    func y(_ value: Double) -> Double {
      top + plotHeight - min(value * scale, yMax) / yMax * plotHeight
    }
    func f(_ value: Double) -> String { NumberText.format(value, digits: 1) }
    var svg =
      "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" "
      + "aria-label=\"usage and recommendation in \(label)\" xmlns=\"http://www.w3.org/2000/svg\">\n"
    for tick in ticks {
      let py = top + plotHeight - tick / yMax * plotHeight
      svg +=
        "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(py))\" y2=\"\(f(py))\" stroke=\"#e6e9ef\"/>\n"
      svg +=
        "<text x=\"\(f(left - 6))\" y=\"\(f(py + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6475\">"
      svg += "\(NumberText.format(tick, digits: 2))</text>\n"
    }
    for (time, text) in ReportRenderer.timeTicks(first: first, last: last) {
      svg +=
        "<text x=\"\(f(x(time)))\" y=\"\(f(height - 12))\" font-size=\"11\" text-anchor=\"middle\" "
      svg += "fill=\"#5b6475\">\(ReportRenderer.escape(text))</text>\n"
    }
    // Band: one polygon per run of points that have both bounds.
    var index = 0
    while index < data.count {
      guard band[index].lower.isFinite && band[index].upper.isFinite else {
        index += 1
        continue
      }
      var end = index
      while end + 1 < data.count && band[end + 1].lower.isFinite && band[end + 1].upper.isFinite {
        end += 1
      }
      var points: [String] = []
      for i in index...end {
        points.append("\(f(x(data[i].startMilliseconds))),\(f(y(band[i].upper)))")
      }
      for i in stride(from: end, through: index, by: -1) {
        points.append("\(f(x(data[i].startMilliseconds))),\(f(y(band[i].lower)))")
      }
      svg +=
        "<polygon points=\"\(points.joined(separator: " "))\" fill=\"#7c4dcc\" fill-opacity=\"0.18\"/>\n"
      index = end + 1
    }
    func path(_ values: [Double], color: String, width: Double, dashed: Bool = false) -> String {
      var d = ""
      var pen = false
      for i in values.indices {
        guard values[i].isFinite else {
          pen = false
          continue
        }
        d += (pen ? "L" : "M") + "\(f(x(data[i].startMilliseconds))) \(f(y(values[i])))"
        pen = true
      }
      guard !d.isEmpty else { return "" }
      return "<path d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(width)\""
        + (dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>\n"
    }
    svg += path(usage, color: "#2f6fdf", width: 1.2)
    svg += path(band.map(\.target), color: "#7c4dcc", width: 1.6)
    svg += path(request, color: "#1a9b5b", width: 1.6, dashed: true)
    for bucket in data where bucket.oom || bucket.eviction {
      let px = f(x(bucket.startMilliseconds))
      if bucket.oom {
        svg +=
          "<line x1=\"\(px)\" x2=\"\(px)\" y1=\"\(f(top))\" y2=\"\(f(top + plotHeight))\" stroke=\"#e5484d\" stroke-width=\"1.2\"><title>OOM kill</title></line>\n"
      }
      if bucket.eviction {
        svg +=
          "<path d=\"M\(px) \(f(top + plotHeight)) l-5 8 h10 z\" fill=\"#e38a1c\"><title>eviction</title></path>\n"
      }
    }
    svg +=
      "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#c9cfda\"/>\n</svg>\n"
    return svg
  }
}
