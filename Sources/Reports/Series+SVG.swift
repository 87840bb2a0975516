/// Drawing of each series kind in pixel space.
extension Series {
    var stroke: String { Markup.escape(color.css) }

    func svg(x mx: AxisMap, y my: AxisMap, area: PlotArea) -> String {
        switch kind {
        case .line(let dashed):
            let d = Self.path(mx, my, x, y, stepped: false)
            guard !d.isEmpty else { return "" }
            return "<path d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"2\""
                + (dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>\n"
        case .step(let cx, let cy):
            var out = ""
            let d = Self.path(mx, my, x, y, stepped: true)
            if !d.isEmpty { out += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"2\"/>\n" }
            var marks = ""
            for (a, b) in zip(cx, cy) {
                guard let px = mx(a), let py = my(b) else { continue }
                marks += "M\(Markup.px(px)) \(Markup.px(py - 4))V\(Markup.px(py + 4))"
            }
            if !marks.isEmpty { out += "<path d=\"\(marks)\" stroke=\"\(stroke)\" stroke-width=\"1.5\"/>\n" }
            return out
        case .band(let lower, let upper, let stepped):
            return bandSVG(mx, my, lower: lower, upper: upper, stepped: stepped)
        case .points(let lower, let upper):
            var out = ""
            for i in 0..<min(x.count, y.count) {
                guard let px = mx(x[i]) else { continue }
                if let lower, let upper, i < lower.count, i < upper.count,
                   let lo = my.clamped(lower[i]), let hi = my.clamped(upper[i]) {
                    let a = Markup.px(px - 3), b = Markup.px(px + 3), c = Markup.px(px)
                    out += "<path d=\"M\(c) \(Markup.px(lo))V\(Markup.px(hi))M\(a) \(Markup.px(lo))H\(b)M\(a) \(Markup.px(hi))H\(b)\" "
                        + "stroke=\"\(stroke)\" stroke-width=\"1.2\"/>\n"
                }
                guard let py = my(y[i]) else { continue }
                out += "<circle cx=\"\(Markup.px(px))\" cy=\"\(Markup.px(py))\" r=\"3\" fill=\"\(stroke)\"/>\n"
            }
            return out
        case .bars:
            var out = ""
            let base = my.clamped(0) ?? area.bottom
            for i in 0..<min(x.count - 1, y.count) where x.count > 1 {
                guard let a = mx(x[i]), let b = mx(x[i + 1]), let top = my.clamped(y[i]) else { continue }
                let left = min(a, b), w = abs(b - a), upper = min(top, base), h = abs(top - base)
                out += "<rect x=\"\(Markup.px(left))\" y=\"\(Markup.px(upper))\" width=\"\(Markup.px(w))\" height=\"\(Markup.px(h))\" "
                    + "fill=\"\(stroke)\" fill-opacity=\"0.55\" stroke=\"\(stroke)\" stroke-width=\"0.5\"/>\n"
            }
            return out
        case .horizontalLine:
            guard let v = y.first, let py = my(v) else { return "" }
            return "<line x1=\"\(Markup.px(area.left))\" y1=\"\(Markup.px(py))\" x2=\"\(Markup.px(area.right))\" y2=\"\(Markup.px(py))\" "
                + "stroke=\"\(stroke)\" stroke-width=\"1.2\" stroke-dasharray=\"5 4\"/>\n"
        case .verticalLine:
            guard let v = x.first, let px = mx(v) else { return "" }
            return "<line x1=\"\(Markup.px(px))\" y1=\"\(Markup.px(area.top))\" x2=\"\(Markup.px(px))\" y2=\"\(Markup.px(area.bottom))\" "
                + "stroke=\"\(stroke)\" stroke-width=\"1.2\" stroke-dasharray=\"5 4\"/>\n"
        }
    }

    /// Path data through the drawable points, starting a new subpath after every undrawable one.
    static func path(_ mx: AxisMap, _ my: AxisMap, _ x: [Double], _ y: [Double], stepped: Bool) -> String {
        var d = "", penDown = false
        for i in 0..<min(x.count, y.count) {
            guard let px = mx(x[i]), let py = my(y[i]) else { penDown = false; continue }
            if penDown {
                if stepped { d += "H\(Markup.px(px))V\(Markup.px(py))" } else { d += "L\(Markup.px(px)) \(Markup.px(py))" }
            } else {
                d += "M\(Markup.px(px)) \(Markup.px(py))"
            }
            penDown = true
        }
        return d
    }

    /// One closed polygon per run of drawable (x, lower, upper) triples.
    func bandSVG(_ mx: AxisMap, _ my: AxisMap, lower: [Double], upper: [Double], stepped: Bool) -> String {
        let n = min(x.count, lower.count, upper.count)
        var runs: [[(Double, Double, Double)]] = [], current: [(Double, Double, Double)] = []
        for i in 0..<n {
            if let px = mx(x[i]), let lo = my.clamped(lower[i]), let hi = my.clamped(upper[i]),
               lower[i].isFinite, upper[i].isFinite {
                current.append((px, lo, hi))
            } else if !current.isEmpty {
                runs.append(current); current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        var out = ""
        for run in runs {
            var top: [(Double, Double)] = [], bottom: [(Double, Double)] = []
            for (k, (px, lo, hi)) in run.enumerated() {
                if stepped, k > 0 {
                    top.append((px, run[k - 1].2))
                    bottom.append((px, run[k - 1].1))
                }
                top.append((px, hi))
                bottom.append((px, lo))
            }
            let points = (top + bottom.reversed()).map { "\(Markup.px($0.0)),\(Markup.px($0.1))" }.joined(separator: " ")
            out += "<polygon points=\"\(points)\" fill=\"\(stroke)\" fill-opacity=\"0.2\" stroke=\"none\"/>\n"
        }
        return out
    }

    /// The small symbol in front of the series' legend entry, centred vertically on y.
    func legendSwatch(x: Double, y: Double) -> String {
        let a = Markup.px(x), b = Markup.px(x + 16), c = Markup.px(y)
        switch kind {
        case .band, .bars:
            return "<rect x=\"\(a)\" y=\"\(Markup.px(y - 5))\" width=\"16\" height=\"10\" fill=\"\(stroke)\" fill-opacity=\"0.35\"/>\n"
        case .points:
            return "<circle cx=\"\(Markup.px(x + 8))\" cy=\"\(c)\" r=\"3\" fill=\"\(stroke)\"/>\n"
        case .line(let dashed):
            return "<line x1=\"\(a)\" y1=\"\(c)\" x2=\"\(b)\" y2=\"\(c)\" stroke=\"\(stroke)\" stroke-width=\"2\""
                + (dashed ? " stroke-dasharray=\"4 3\"" : "") + "/>\n"
        case .horizontalLine, .verticalLine:
            return "<line x1=\"\(a)\" y1=\"\(c)\" x2=\"\(b)\" y2=\"\(c)\" stroke=\"\(stroke)\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>\n"
        case .step:
            return "<line x1=\"\(a)\" y1=\"\(c)\" x2=\"\(b)\" y2=\"\(c)\" stroke=\"\(stroke)\" stroke-width=\"2\"/>\n"
        }
    }
}
