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

    /// Grid lines and tick labels along the x axis (labels below the plot).
    static func xTicks(_ ticks: Ticks, map: AxisMap, area: PlotArea) -> String {
        grid(ticks, map: map, class: "x-ticks") { p, label in
            ("<line x1=\"\(p)\" y1=\"\(Markup.px(area.top))\" x2=\"\(p)\" y2=\"\(Markup.px(area.bottom))\"/>\n",
             "<text x=\"\(p)\" y=\"\(Markup.px(area.bottom + 16))\" text-anchor=\"middle\">\(label)</text>\n")
        }
    }

    /// Grid lines and tick labels along the y axis (labels left of the plot).
    static func yTicks(_ ticks: Ticks, map: AxisMap, area: PlotArea) -> String {
        grid(ticks, map: map, class: "y-ticks") { p, label in
            ("<line x1=\"\(Markup.px(area.left))\" y1=\"\(p)\" x2=\"\(Markup.px(area.right))\" y2=\"\(p)\"/>\n",
             "<text x=\"\(Markup.px(area.left - 6))\" y=\"\(p)\" dy=\"4\" text-anchor=\"end\">\(label)</text>\n")
        }
    }

    /// The grid lines in one light-grey group, then the labels; `draw` gets the pixel position and escaped label.
    static func grid(_ ticks: Ticks, map: AxisMap, class name: String,
                     draw: (_ position: String, _ label: String) -> (line: String, text: String)) -> String {
        var lines = "<g class=\"\(name)\" stroke=\"#e5e5e5\">\n", labels = ""
        for (value, label) in zip(ticks.values, ticks.labels) {
            guard let p = map(value) else { continue }
            let (line, text) = draw(Markup.px(p), Markup.escape(label))
            lines += line
            labels += text
        }
        return lines + "</g>\n" + labels
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
        let boxWidth = 34 + 7 * Double(longest), boxHeight = 8 + 16 * Double(entries.count)
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
