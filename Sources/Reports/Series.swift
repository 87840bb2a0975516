/// A colour for plot elements: a CSS colour string (written escaped), with the Okabe–Ito colour-blind-safe palette.
public struct PlotColor: Sendable, Equatable {
    public let css: String
    public init(css: String) { self.css = css }

    /// The Okabe–Ito palette (8 colours), cycled by `index`.
    public static func palette(_ index: Int) -> PlotColor {
        let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
        return PlotColor(css: colors[((index % colors.count) + colors.count) % colors.count])
    }
    public static let gray = PlotColor(css: "#777777")
}

/// One layer of an `SVGPlot`. Build with the static constructors; points with NaN or infinite coordinates (or
/// non-positive ones on a log axis) are skipped: a line or band breaks there.
public struct Series: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case line(dashed: Bool)
        case step(censorX: [Double], censorY: [Double])
        case band(lower: [Double], upper: [Double], stepped: Bool)
        case points(errorLower: [Double]?, errorUpper: [Double]?)
        /// Rectangles [edges[i], edges[i+1]] × [0, heights[i]] (x holds the edges, y the heights).
        case bars
        case horizontalLine
        case verticalLine
    }

    let kind: Kind
    /// Legend entry; an empty name keeps the series out of the legend.
    public let name: String
    public let color: PlotColor
    let x: [Double]
    let y: [Double]

    /// A polyline through (x[i], y[i]); `dashed` draws it dashed.
    public static func line(_ name: String, x: [Double], y: [Double], color: PlotColor, dashed: Bool = false) -> Series {
        Series(kind: .line(dashed: dashed), name: name, color: color, x: x, y: y)
    }

    /// A right-continuous step function (value y[i] from x[i] to x[i+1]), e.g. a Kaplan–Meier curve, with short
    /// vertical tick marks at the censoring points (censorX[j], censorY[j]).
    public static func step(_ name: String, x: [Double], y: [Double], censorX: [Double] = [], censorY: [Double] = [],
                            color: PlotColor) -> Series {
        Series(kind: .step(censorX: censorX, censorY: censorY), name: name, color: color, x: x, y: y)
    }

    /// A translucent region between lower[i] and upper[i] over x[i] (5–95 % bands, confidence bands);
    /// `stepped` draws it as a step function (for Kaplan–Meier intervals).
    public static func band(_ name: String, x: [Double], lower: [Double], upper: [Double], color: PlotColor,
                            stepped: Bool = false) -> Series {
        Series(kind: .band(lower: lower, upper: upper, stepped: stepped), name: name, color: color, x: x, y: lower)
    }

    /// Markers at (x[i], y[i]), optionally with vertical error bars from errorLower[i] to errorUpper[i].
    public static func points(_ name: String, x: [Double], y: [Double], errorLower: [Double]? = nil,
                              errorUpper: [Double]? = nil, color: PlotColor) -> Series {
        Series(kind: .points(errorLower: errorLower, errorUpper: errorUpper), name: name, color: color, x: x, y: y)
    }

    /// Bars between consecutive `edges` (count = heights.count + 1) from 0 to each height (negative heights go
    /// down): histograms and waterfalls.
    public static func bars(_ name: String, edges: [Double], heights: [Double], color: PlotColor) -> Series {
        Series(kind: .bars, name: name, color: color, x: edges, y: heights)
    }

    /// A dashed reference line across the plot at y = value (e.g. 80 % power, a response threshold).
    public static func horizontalLine(_ name: String, y value: Double, color: PlotColor = .gray) -> Series {
        Series(kind: .horizontalLine, name: name, color: color, x: [], y: [value])
    }

    /// A dashed reference line across the plot at x = value (e.g. a treatment start time).
    public static func verticalLine(_ name: String, x value: Double, color: PlotColor = .gray) -> Series {
        Series(kind: .verticalLine, name: name, color: color, x: [value], y: [])
    }

    /// The x and y values that should fit in an automatic range.
    var extentX: [Double] {
        switch kind {
        case .step(let cx, _): return x + cx
        case .horizontalLine: return []
        default: return x
        }
    }
    var extentY: [Double] {
        switch kind {
        case .band(let lower, let upper, _): return lower + upper
        case .points(let lo, let hi): return y + (lo ?? []) + (hi ?? [])
        case .step(_, let cy): return y + cy
        case .bars: return y + [0]
        case .verticalLine: return []
        default: return y
        }
    }
}
