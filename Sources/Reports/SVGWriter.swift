/// The pieces of an SVG chart that do not depend on the series: header, ticks and grid, frame, labels, legend.
enum SVGWriter {
    static func open(width: Double, height: Double, title: String) -> String {
        let w = Markup.px(width), h = Markup.px(height)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" "
            + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
            + "<title>\(Markup.escape(title))</title>\n"
            + "<rect width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
            + "<text x=\"\(Markup.px(width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">"
            + Markup.escape(title) + "</text>\n"
    }

    static func xTicks(_ ticks: Ticks, map: AxisMap, area: PlotArea) -> String {
        var out = "<g class=\"x-ticks\" stroke=\"#e5e5e5\">\n"
        var labels = ""
        for (value, label) in zip(ticks.values, ticks.labels) {
            guard let x = map(value) else { continue }
            let px = Markup.px(x)
            out += "<line x1=\"\(px)\" y1=\"\(Markup.px(area.top))\" x2=\"\(px)\" y2=\"\(Markup.px(area.bottom))\"/>\n"
            labels += "<text x=\"\(px)\" y=\"\(Markup.px(area.bottom + 16))\" text-anchor=\"middle\">\(Markup.escape(label))</text>\n"
        }
        return out + "</g>\n" + labels
    }

    static func yTicks(_ ticks: Ticks, map: AxisMap, area: PlotArea) -> String {
        var out = "<g class=\"y-ticks\" stroke=\"#e5e5e5\">\n"
        var labels = ""
        for (value, label) in zip(ticks.values, ticks.labels) {
            guard let y = map(value) else { continue }
            let py = Markup.px(y)
            out += "<line x1=\"\(Markup.px(area.left))\" y1=\"\(py)\" x2=\"\(Markup.px(area.right))\" y2=\"\(py)\"/>\n"
            labels += "<text x=\"\(Markup.px(area.left - 6))\" y=\"\(Markup.px(y + 4))\" text-anchor=\"end\">\(Markup.escape(label))</text>\n"
        }
        return out + "</g>\n" + labels
    }

    static func frame(_ area: PlotArea) -> String {
        "<rect x=\"\(Markup.px(area.left))\" y=\"\(Markup.px(area.top))\" width=\"\(Markup.px(area.right - area.left))\" "
            + "height=\"\(Markup.px(area.bottom - area.top))\" fill=\"none\" stroke=\"#333333\"/>\n"
    }

    static func axisLabels(x: String, y: String, area: PlotArea, height: Double) -> String {
        var out = ""
        if !x.isEmpty {
            out += "<text x=\"\(Markup.px((area.left + area.right) / 2))\" y=\"\(Markup.px(height - 12))\" "
                + "text-anchor=\"middle\">\(Markup.escape(x))</text>\n"
        }
        if !y.isEmpty {
            let cy = Markup.px((area.top + area.bottom) / 2)
            out += "<text x=\"16\" y=\"\(cy)\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(cy))\">"
                + Markup.escape(y) + "</text>\n"
        }
        return out
    }

    /// A boxed legend in the top-right corner of the plot area, one row per named series.
    static func legend(_ entries: [Series], area: PlotArea) -> String {
        guard !entries.isEmpty else { return "" }
        let longest = entries.map { $0.name.count }.max() ?? 0
        let boxWidth = 34 + 6.5 * Double(longest), boxHeight = 8 + 16 * Double(entries.count)
        let left = area.right - boxWidth - 8, top = area.top + 8
        var out = "<g class=\"legend\">\n<rect x=\"\(Markup.px(left))\" y=\"\(Markup.px(top))\" width=\"\(Markup.px(boxWidth))\" "
            + "height=\"\(Markup.px(boxHeight))\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#bbbbbb\"/>\n"
        for (i, entry) in entries.enumerated() {
            let y = top + 12 + 16 * Double(i)
            out += entry.legendSwatch(x: left + 6, y: y)
            out += "<text x=\"\(Markup.px(left + 28))\" y=\"\(Markup.px(y + 4))\">\(Markup.escape(entry.name))</text>\n"
        }
        return out + "</g>\n"
    }
}
