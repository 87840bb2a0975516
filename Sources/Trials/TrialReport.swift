import Reports
import Statistics

/// `report.html`: a self-contained HTML page with SVG plots — trajectory median and 5–95 % band per arm
/// (from the seeded subsample), Kaplan–Meier curves, endpoint distributions, a forest plot of the effects
/// against the reference arm, the power curve and a table of patients that did not succeed, by status.
public enum TrialReport {
    public static func render(plan: TrialPlan, rows: [PatientRow], trajectories: [TrajectoryRow], summary: JSONValue,
                              programVersion: String) -> String {
        let spec = plan.spec
        let stats = TrialSummary(plan: plan, programVersion: programVersion)
        var report = HTMLReport(title: spec.name, provenance: .init(
            programVersion: programVersion, modelHash: plan.compiled.modelHash, seed: spec.seed, date: "not recorded (reproducible output)",
            extra: [("model", spec.model), ("spec hash", plan.specHash), ("design", spec.design.rawValue),
                    ("patients", "\(Set(rows.map(\.id)).count)")]))
        let colors = spec.arms.indices.map { PlotColor.palette($0) }

        // endpoint table per arm
        var header = ["arm", "rows"]
        var k = 0
        var columns: [(EndpointSpec, Int)] = []
        for e in spec.endpoints {
            header.append(e.name)
            columns.append((e, k))
            k += e.isTimeToEvent ? 2 : 1
        }
        let table = spec.arms.indices.map { a -> [String] in
            [spec.arms[a].name, "\(rows.filter { $0.arm == a }.count)"] + columns.map { e, k in
                let v = stats.values(rows, arm: a, column: k)
                if e.isBinary { return v.isEmpty ? "–" : Markup.readable(v.reduce(0, +) / Double(v.count)) + " responders" }
                if e.isTimeToEvent {
                    let (t, ev) = stats.survivalData(rows, arm: a, column: k)
                    guard let km = try? KaplanMeier(times: t, events: ev) else { return "–" }
                    return "KM median " + Markup.readable(km.median)
                }
                let s = Summary(v)
                return "median " + Markup.readable(s.median) + " [" + Markup.readable(s.lowerQuartile) + ", " + Markup.readable(s.upperQuartile) + "]"
            }
        }
        report.add("Endpoints by arm", .table(header: header, rows: table),
                   .paragraph("Continuous endpoints: median [quartiles]; binary: proportion of responders; time to event: Kaplan–Meier median (censored at the end of follow-up, \(Markup.readable(spec.followUp.end)))."))

        // trajectories
        if let t = spec.trajectory {
            var series: [Series] = []
            for a in spec.arms.indices {
                let mine = trajectories.filter { $0.arm == a }
                guard !mine.isEmpty else { continue }
                var lo: [Double] = [], mid: [Double] = [], hi: [Double] = []
                for i in plan.grid.indices {
                    let v = mine.map { $0.values[i] }.filter(\.isFinite).sorted()
                    lo.append(Summary.quantile(sorted: v, 0.05))
                    mid.append(Summary.quantile(sorted: v, 0.5))
                    hi.append(Summary.quantile(sorted: v, 0.95))
                }
                series.append(.band("\(spec.arms[a].name) 5–95 %", x: plan.grid, lower: lo, upper: hi, color: colors[a]))
                series.append(.line("\(spec.arms[a].name) median", x: plan.grid, y: mid, color: colors[a]))
            }
            let plot = SVGPlot(title: t.observable, xAxis: Axis(label: "time"), yAxis: Axis(label: t.observable), series: series)
            report.add("Trajectories", .svg(plot.render(), caption: "Median and 5–95 % band per arm over a seeded subsample of about \(t.patients) patients."))
        }

        // Kaplan–Meier and distributions
        for (e, k) in columns {
            if e.isTimeToEvent {
                var series: [Series] = []
                for a in spec.arms.indices {
                    let (t, ev) = stats.survivalData(rows, arm: a, column: k)
                    if let km = try? KaplanMeier(times: t, events: ev) {
                        series += Series.kaplanMeier(km, name: spec.arms[a].name, color: colors[a])
                    }
                }
                let plot = SVGPlot(title: "\(e.name): Kaplan–Meier", xAxis: Axis(label: "time since start"),
                                   yAxis: Axis(label: "fraction without event", range: 0...1), series: series)
                report.add("Time to event: \(e.name)", .svg(plot.render()))
            } else if !e.isBinary {
                let all = spec.arms.indices.flatMap { stats.values(rows, arm: $0, column: k) }
                guard let low = all.min(), let high = all.max() else { continue }
                let range = low < high ? low...high : (low - 1)...(high + 1)
                let series = spec.arms.indices.map { a in
                    Series.histogram(spec.arms[a].name, values: stats.values(rows, arm: a, column: k), bins: 30, range: range,
                                     density: true, color: colors[a])
                }
                let plot = SVGPlot(title: "\(e.name): distribution", xAxis: Axis(label: e.name), yAxis: Axis(label: "density"), series: series)
                report.add("Distribution: \(e.name)", .svg(plot.render()))
            }
        }

        // forest plot of effects
        var forest: [ForestPlot.Row] = [], ratios: [ForestPlot.Row] = []
        let b = spec.referenceArm
        for a in spec.arms.indices where a != b {
            for (e, k) in columns {
                let va = stats.values(rows, arm: a, column: k), vb = stats.values(rows, arm: b, column: k)
                let label = "\(e.name): \(spec.arms[a].name) vs \(spec.arms[b].name)"
                if e.isBinary, let c = try? ProportionComparison(successesA: va.filter { $0 == 1 }.count, totalA: va.count,
                                                                  successesB: vb.filter { $0 == 1 }.count, totalB: vb.count) {
                    forest.append(.init(label: label + " (risk difference)", estimate: c.riskDifference,
                                        lower: c.riskDifferenceNewcombe.lower, upper: c.riskDifferenceNewcombe.upper))
                } else if e.isTimeToEvent {
                    let (ta, ea) = stats.survivalData(rows, arm: a, column: k), (tb, eb) = stats.survivalData(rows, arm: b, column: k)
                    if let cox = try? CoxPH(times: ta + tb, events: ea + eb, group: ta.map { _ in true } + tb.map { _ in false }) {
                        ratios.append(.init(label: label + " (hazard ratio)", estimate: cox.hazardRatio,
                                            lower: cox.interval.lower, upper: cox.interval.upper))
                    }
                } else if !e.isBinary, let w = try? WelchTest(a: va, b: vb), let sd = Optional(Summary(vb).standardDeviation), sd > 0 {
                    forest.append(.init(label: label + " (difference / reference sd)", estimate: w.difference / sd,
                                        lower: w.interval.lower / sd, upper: w.interval.upper / sd))
                }
            }
        }
        var blocks: [HTMLReport.Block] = []
        if !forest.isEmpty {
            blocks.append(.svg(ForestPlot(title: "Effects (95 % CI)", axis: Axis(label: "effect"), reference: 0, rows: forest).render(),
                               caption: "Differences in means scaled by the reference arm's standard deviation (Welch CI); risk differences (Newcombe CI)."))
        }
        if !ratios.isEmpty {
            blocks.append(.svg(ForestPlot(title: "Hazard ratios (95 % CI)", axis: Axis(label: "hazard ratio", scale: .log10), reference: 1, rows: ratios).render(),
                               caption: "Cox proportional hazards, Efron ties; hazard of the arm over the reference."))
        }
        if !blocks.isEmpty { report.sections.append(.init(heading: "Effects against \(spec.arms[b].name)", blocks: blocks)) }

        // power
        if case .object(let top) = summary, let power = top.first(where: { $0.0 == "power" })?.1, case .object(let p) = power,
           let pointsValue = p.first(where: { $0.0 == "points" })?.1, case .array(let points) = pointsValue {
            var x: [Double] = [], y: [Double] = [], lo: [Double] = [], hi: [Double] = []
            for point in points {
                guard case .object(let f) = point else { continue }
                func num(_ key: String) -> Double? {
                    switch f.first(where: { $0.0 == key })?.1 {
                    case .integer(let i)?: return Double(i)
                    case .number(let d)?: return d
                    default: return nil
                    }
                }
                guard let size = num("size"), let pw = num("power"), case .object(let ci)? = f.first(where: { $0.0 == "ci" })?.1,
                      case .number(let l)? = ci.first(where: { $0.0 == "lower" })?.1, case .number(let u)? = ci.first(where: { $0.0 == "upper" })?.1 else { continue }
                x.append(size); y.append(pw); lo.append(pw - l); hi.append(u - pw)
            }
            let plot = SVGPlot(title: "Power", xAxis: Axis(label: "total sample size"), yAxis: Axis(label: "power", range: 0...1),
                               series: [.line("power", x: x, y: y, color: colors[0]),
                                        .points("estimate (Wilson 95 %)", x: x, y: y, errorLower: lo, errorUpper: hi, color: colors[0]),
                                        .horizontalLine("80 %", y: 0.8)])
            report.add("Power", .svg(plot.render(), caption: "Fraction of resampled trials with p below alpha for \(spec.power?.endpoint ?? "")."))
        }

        // failed patients
        var byStatus: [String: [Int]] = [:]
        for r in rows where r.status != "success" { byStatus[r.status, default: []].append(r.id) }
        let failed = byStatus.keys.sorted().map { s in
            [s, "\(byStatus[s]!.count)", byStatus[s]!.prefix(20).map(String.init).joined(separator: " ") + (byStatus[s]!.count > 20 ? " …" : "")]
        }
        report.add("Patients without a successful simulation",
                   failed.isEmpty ? .paragraph("None: every simulation succeeded.") : .table(header: ["status", "rows", "patient ids"], rows: failed))
        return report.render()
    }
}
