import AutoscalingTuning
import Foundation

/// What the tuning report says about its inputs.
struct TuneContext {
  var title: String
  var inputs: [(String, String)]
  /// The current and chosen HPA over the trace (`autoscale tune`; `merge` has no trace).
  var timeline: TuneTimeline? = nil
}

/// The self-contained HTML report of `autoscale tune` / `autoscale merge`: the front as an
/// inline SVG scatter (cost against under-provisioned time, scaling actions as colour), the
/// current and chosen configurations marked on it and, from `autoscale tune`, replayed over the
/// trace on one chart, the tables and the tuned manifest.
enum TuneReport {
  static func html(result: TuningResult, context: TuneContext, manifest: String?) -> String {
    let escape = ReportRenderer.escape
    var html = ReportRenderer.pageStart(
      title: context.title,
      style: """
        tr.chosen td{background:#fff6e0;font-weight:600}
        p.warning{background:#fde8e8;border-left:4px solid #c62828;padding:.4em .6em}
        pre{background:#f5f7fa;padding:10px 14px;font-size:12px;overflow-x:auto}
        """)
    html += """
      <p class="sub">Search over the HPA's behavior: every candidate replayed on the trace, the Pareto front of cost, under-provisioning, unserved demand and scaling actions, and the configuration chosen.</p>
      <h2>Inputs</h2>
      <table>

      """
    for (key, value) in context.inputs {
      html += "<tr><th>\(escape(key))</th><td>\(escape(value))</td></tr>\n"
    }
    html += "</table>\n<h2>Cost against SLO</h2>\n"
    html += legend(result)
    html += scatter(result)
    html += "<h2>Current vs chosen</h2>\n" + comparison(result)
    if let timeline = context.timeline { html += timeline.html() }
    let alternatives = result.alternativesTable()
    if !alternatives.isEmpty {
      html += "<h2>Why nothing cheaper</h2>\n<pre>\(escape(alternatives))</pre>\n"
    }
    html += "<h2>Pareto front</h2>\n<div style=\"overflow-x:auto\">" + frontTable(result)
    html += "</div>\n"
    if let manifest {
      html += "<h2>Tuned HPA</h2>\n<pre>\(escape(manifest))</pre>\n"
    }
    html += "<p class=\"sub\">Replica-hours and under-provisioned time are measured on the "
    html += "tuning part; the held-out part is scored for the front and for the two highlighted "
    html += "configurations. Fingerprint \(escape(result.search.fingerprint)).</p>\n"
    return html + "</body></html>\n"
  }

  private static func legend(_ result: TuningResult) -> String {
    let range = actionRange(result)
    var html = "<div class=\"legend\">"
    html += "<span>○ candidate</span><span>● on the front</span>"
    html += "<span>◆ current HPA</span><span>★ chosen</span>"
    if result.maxUnderProvisionedTimeShare != nil { html += "<span>– – SLO bound</span>" }
    html += "<span>colour: scaling actions "
    for step in 0...4 {
      let value = range.lowerBound + (range.upperBound - range.lowerBound) * Double(step) / 4
      html += "<i style=\"display:inline-block;width:16px;height:10px;background:"
      html += "\(color(Double(step) / 4))\" title=\"\(NumberText.format(value, digits: 0))\"></i>"
    }
    html += " \(NumberText.format(range.lowerBound, digits: 0)) → "
    html += "\(NumberText.format(range.upperBound, digits: 0))</span></div>\n"
    return html
  }

  /// The smallest and largest scaling-action counts plotted.
  private static func actionRange(_ result: TuningResult) -> ClosedRange<Double> {
    var values = result.search.evaluations.map(\.objectives.scalingActions)
    values.append(result.current.tuning.scalingActions)
    let low = values.min() ?? 0
    return low...max(values.max() ?? 0, low)
  }

  /// A colour from a blue (calm) to red (busy) ramp, `t` in 0…1.
  static func color(_ t: Double) -> String {
    let stops: [(Double, Double, Double)] = [
      (49, 104, 196), (44, 160, 160), (120, 180, 60), (235, 160, 40), (214, 56, 50),
    ]
    let clamped = t.isFinite ? min(max(t, 0), 1) : 0
    let position = clamped * Double(stops.count - 1)
    let index = min(Int(position), stops.count - 2)
    let fraction = position - Double(index)
    let (a, b) = (stops[index], stops[index + 1])
    func mix(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * fraction).rounded()) }
    return "rgb(\(mix(a.0, b.0)),\(mix(a.1, b.1)),\(mix(a.2, b.2)))"
  }

  /// The scatter: replica-hours across, under-provisioned time (percent) up.
  static func scatter(_ result: TuningResult) -> String {
    let (width, height) = (1040.0, 420.0)
    let (left, right, top, bottom) = (70.0, 20.0, 14.0, 44.0)
    let plotWidth = width - left - right
    let plotHeight = height - top - bottom
    let evaluations = result.search.evaluations
    let current = result.current.tuning
    let chosen = result.chosen?.scores.tuning
    var xs =
      evaluations.map { $0.objectives.replicaSeconds / 3600 } + [current.replicaSeconds / 3600]
    var ys =
      evaluations.map { $0.objectives.underProvisionedTimeShare * 100 }
      + [current.underProvisionedTimeShare * 100]
    if let bound = result.maxUnderProvisionedTimeShare { ys.append(bound * 100) }
    xs = xs.filter(\.isFinite)
    ys = ys.filter(\.isFinite)
    let xTicks = ticks(low: xs.min() ?? 0, high: xs.max() ?? 1)
    let yTicks = ticks(low: 0, high: ys.max() ?? 1)
    let (x0, x1) = (xTicks.first ?? 0, xTicks.last ?? 1)
    let (y0, y1) = (yTicks.first ?? 0, yTicks.last ?? 1)
    func x(_ value: Double) -> Double { left + (value - x0) / max(x1 - x0, 1e-12) * plotWidth }
    func y(_ value: Double) -> Double {
      top + plotHeight - (value - y0) / max(y1 - y0, 1e-12) * plotHeight
    }
    func f(_ value: Double) -> String { NumberText.format(value, digits: 1) }
    let range = actionRange(result)
    func shade(_ actions: Double) -> String {
      color((actions - range.lowerBound) / max(range.upperBound - range.lowerBound, 1e-12))
    }

    var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" "
    svg += "aria-label=\"replica-hours against under-provisioned time\" "
    svg += "xmlns=\"http://www.w3.org/2000/svg\">\n"
    for tick in yTicks {
      svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(tick)))\" "
      svg += "y2=\"\(f(y(tick)))\" stroke=\"#e6e9ef\"/>\n"
      svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" font-size=\"11\" "
      svg += "text-anchor=\"end\" fill=\"#5b6475\">\(NumberText.format(tick, digits: 3))</text>\n"
    }
    for tick in xTicks {
      svg += "<line x1=\"\(f(x(tick)))\" x2=\"\(f(x(tick)))\" y1=\"\(f(top))\" "
      svg += "y2=\"\(f(top + plotHeight))\" stroke=\"#f0f2f6\"/>\n"
      svg += "<text x=\"\(f(x(tick)))\" y=\"\(f(top + plotHeight + 16))\" font-size=\"11\" "
      svg +=
        "text-anchor=\"middle\" fill=\"#5b6475\">\(NumberText.format(tick, digits: 2))</text>\n"
    }
    svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 6))\" font-size=\"12\" "
    svg += "text-anchor=\"middle\" fill=\"#3a4252\">cost: replica-hours (tuning part)</text>\n"
    svg += "<text x=\"16\" y=\"\(f(top + plotHeight / 2))\" font-size=\"12\" fill=\"#3a4252\" "
    svg += "transform=\"rotate(-90 16 \(f(top + plotHeight / 2)))\" text-anchor=\"middle\">"
    svg += "under-provisioned time (%)</text>\n"
    if let bound = result.maxUnderProvisionedTimeShare {
      svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(bound * 100)))\" "
      svg += "y2=\"\(f(y(bound * 100)))\" stroke=\"#e5484d\" stroke-dasharray=\"6 4\"/>\n"
    }
    let front = Set(result.search.front.map(\.ordinal))
    // Candidates first, the front on top of them.
    for pass in [false, true] {
      for evaluation in evaluations where front.contains(evaluation.ordinal) == pass {
        let scores = evaluation.objectives
        let px = x(scores.replicaSeconds / 3600)
        let py = y(scores.underProvisionedTimeShare * 100)
        guard px.isFinite, py.isFinite else { continue }
        svg += "<circle cx=\"\(f(px))\" cy=\"\(f(py))\" r=\"\(pass ? 5 : 3)\" "
        svg += "fill=\"\(shade(scores.scalingActions))\" fill-opacity=\"\(pass ? "0.95" : "0.35")\""
        svg += pass ? " stroke=\"#1d2430\" stroke-width=\"1\">" : ">"
        svg +=
          "<title>#\(evaluation.ordinal): \(NumberText.format(scores.replicaSeconds / 3600, digits: 2)) replica-h, "
        svg += "\(NumberText.format(scores.underProvisionedTimeShare * 100, digits: 3)) % under, "
        svg += "\(NumberText.format(scores.scalingActions, digits: 0)) actions</title></circle>\n"
      }
    }
    let cx = x(current.replicaSeconds / 3600)
    let cy = y(current.underProvisionedTimeShare * 100)
    if cx.isFinite && cy.isFinite {
      svg += "<path d=\"M\(f(cx)) \(f(cy - 8))L\(f(cx + 8)) \(f(cy))L\(f(cx)) \(f(cy + 8))"
      svg += "L\(f(cx - 8)) \(f(cy))Z\" fill=\"#1d2430\"><title>current HPA</title></path>\n"
      svg += "<text x=\"\(f(cx + 11))\" y=\"\(f(cy - 8))\" font-size=\"12\" "
      svg += "fill=\"#1d2430\">current</text>\n"
    }
    if let chosen {
      let sx = x(chosen.replicaSeconds / 3600)
      let sy = y(chosen.underProvisionedTimeShare * 100)
      if sx.isFinite && sy.isFinite {
        var points: [String] = []
        for corner in 0..<10 {
          let angle = Double(corner) * .pi / 5 - .pi / 2
          let radius = corner % 2 == 0 ? 11.0 : 4.5
          points.append("\(f(sx + radius * cos(angle))),\(f(sy + radius * sin(angle)))")
        }
        svg += "<polygon points=\"\(points.joined(separator: " "))\" fill=\"#f2b705\" "
        svg += "stroke=\"#1d2430\" stroke-width=\"1.2\"><title>chosen</title></polygon>\n"
        svg += "<text x=\"\(f(sx + 13))\" y=\"\(f(sy - 10))\" font-size=\"12\" "
        svg += "fill=\"#1d2430\">chosen</text>\n"
      }
    }
    svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" "
    svg += "height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#c9cfda\"/>\n</svg>\n"
    return svg
  }

  /// About five round ticks covering `low…high`.
  static func ticks(low: Double, high: Double) -> [Double] {
    var (low, high) = (low, high)
    if !(high > low) { (low, high) = (low - 0.5, high + 0.5) }
    let raw = (high - low) / 5
    let magnitude = pow(10, floor(log10(raw)))
    var step = magnitude * 10
    for factor in [1.0, 2, 2.5, 5, 10] where raw <= factor * magnitude {
      step = factor * magnitude
      break
    }
    var value = (low / step).rounded(.down) * step
    var ticks = [value]
    while value < high - step * 1e-9 && ticks.count < 14 {
      value += step
      ticks.append(value)
    }
    return ticks
  }

  private static func cells(_ scores: Objectives, holdOut: Objectives?) -> String {
    func cell(_ text: String) -> String { "<td class=\"num\">\(text)</td>" }
    var html = cell(NumberText.format(scores.replicaSeconds / 3600, digits: 2))
    html += cell(NumberText.format(scores.underProvisionedTimeShare * 100, digits: 3))
    html += cell(NumberText.format(scores.unservedDemand, digits: 0))
    html += cell(NumberText.format(scores.scalingActions, digits: 0))
    html += cell(holdOut.map { NumberText.format($0.replicaSeconds / 3600, digits: 2) } ?? "–")
    html += cell(
      holdOut.map { NumberText.format($0.underProvisionedTimeShare * 100, digits: 3) } ?? "–")
    return html
  }

  private static let scoreHeader =
    "<th>replica-h</th><th>under-prov %</th><th>unserved</th><th>actions</th>"
    + "<th>hold-out replica-h</th><th>hold-out under-prov %</th>"

  private static func comparison(_ result: TuningResult) -> String {
    var html = "<table>\n<tr><th></th>\(scoreHeader)</tr>\n"
    html +=
      "<tr><th>current</th>\(cells(result.current.tuning, holdOut: result.current.holdOut))</tr>\n"
    if let chosen = result.chosen {
      html += "<tr class=\"chosen\"><th>chosen</th>"
      html += "\(cells(chosen.scores.tuning, holdOut: chosen.scores.holdOut))</tr>\n"
    }
    html += "</table>\n"
    if let chosen = result.chosen {
      html +=
        "<p>Chosen: "
        + ReportRenderer.escape(
          chosen.parameters.map { "\($0.name) = \($0.value)" }.joined(separator: ", "))
      html += result.constraintMet ? "" : " (no candidate met the bounds: least under-provisioned)"
      html += "</p>\n"
    }
    if result.currentIsPreferred {
      let advice = TuningResult.keepCurrentAdvice(evaluated: result.search.evaluations.count)
      html +=
        "<p class=\"warning\">" + ReportRenderer.escape(advice.prefix(1).uppercased())
        + ReportRenderer.escape(String(advice.dropFirst())) + ".</p>\n"
    }
    if let check = result.holdOutCheck {
      html += check.holds ? "<p>" : "<p class=\"warning\">"
      html += ReportRenderer.escape(check.summary) + "</p>\n"
    }
    return html
  }

  private static func frontTable(_ result: TuningResult) -> String {
    let names = result.search.space.dimensions.map(\.name)
    var html = "<table>\n<tr><th>#</th>\(scoreHeader)"
    for name in names { html += "<th>\(ReportRenderer.escape(name))</th>" }
    html += "</tr>\n"
    for evaluation in result.search.front {
      let isChosen = evaluation.ordinal == result.chosen?.evaluation.ordinal
      html += isChosen ? "<tr class=\"chosen\">" : "<tr>"
      html += "<td class=\"num\">\(evaluation.ordinal)\(isChosen ? " ★" : "")</td>"
      html += cells(evaluation.objectives, holdOut: evaluation.holdOut)
      for (_, value) in result.search.parameters(of: evaluation) {
        html += "<td>\(ReportRenderer.escape(value.description))</td>"
      }
      html += "</tr>\n"
    }
    return html + "</table>\n"
  }
}
