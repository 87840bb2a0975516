/// A self-contained HTML report: title, provenance block, and sections of paragraphs, tables and inline SVG charts.
///
/// One file with inline CSS and no scripts or external assets, so it opens offline and can be archived. The report
/// never reads the clock or the environment: the date and every provenance field come from the caller, so the same
/// inputs give byte-identical HTML.
///
/// ```swift
/// var report = HTMLReport(title: "Trial: antiviral timing",
///                         provenance: .init(programVersion: "0.4.0", modelHash: hash, seed: 42, date: "2026-11-23"))
/// report.sections.append(.init(heading: "Survival", blocks: [.svg(plot.render()), .paragraph("Log-rank p = 0.003")]))
/// try report.render().write(toFile: "report.html", atomically: true, encoding: .utf8)
/// ```
public struct HTMLReport: Sendable, Equatable {
    /// Where the results come from: shown in a table under the title.
    public struct Provenance: Sendable, Equatable {
        public var programVersion: String
        public var modelHash: String
        public var seed: UInt64?
        /// The run date as the caller wants it shown (e.g. ISO 8601); not read from the clock here.
        public var date: String
        /// Further (name, value) rows, e.g. the spec file, options, shard layout.
        public var extra: [(String, String)]

        public init(programVersion: String, modelHash: String, seed: UInt64? = nil, date: String,
                    extra: [(String, String)] = []) {
            self.programVersion = programVersion
            self.modelHash = modelHash
            self.seed = seed
            self.date = date
            self.extra = extra
        }

        public static func == (a: Provenance, b: Provenance) -> Bool {
            a.programVersion == b.programVersion && a.modelHash == b.modelHash && a.seed == b.seed && a.date == b.date
                && a.extra.elementsEqual(b.extra) { $0 == $1 }
        }

        var rows: [(String, String)] {
            [("program version", programVersion), ("model hash", modelHash)]
                + (seed.map { [("seed", String($0))] } ?? []) + [("date", date)] + extra
        }
    }

    /// A piece of content in a section.
    public enum Block: Sendable, Equatable {
        /// Escaped text in a paragraph.
        case paragraph(String)
        /// A table; every cell is escaped. Rows shorter than the header are padded with empty cells.
        case table(header: [String], rows: [[String]])
        /// An SVG document produced by `SVGPlot`, `ForestPlot` or similar — inserted verbatim (it is trusted
        /// markup, not text), inside a figure with an optional escaped caption.
        case svg(String, caption: String = "")
        /// Escaped preformatted text (e.g. a spec file).
        case preformatted(String)
    }

    public struct Section: Sendable, Equatable {
        public var heading: String
        public var blocks: [Block]
        public init(heading: String, blocks: [Block] = []) {
            self.heading = heading
            self.blocks = blocks
        }
    }

    public var title: String
    public var provenance: Provenance
    public var sections: [Section]

    public init(title: String, provenance: Provenance, sections: [Section] = []) {
        self.title = title
        self.provenance = provenance
        self.sections = sections
    }

    /// Appends a section and returns nothing; convenience for building in order.
    public mutating func add(_ heading: String, _ blocks: Block...) {
        sections.append(Section(heading: heading, blocks: blocks))
    }

    /// The complete HTML document (UTF-8 text).
    public func render() -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        out += "<title>\(Markup.escape(title))</title>\n<style>\n\(Self.css)</style>\n</head>\n<body>\n"
        out += "<h1>\(Markup.escape(title))</h1>\n"
        out += "<table class=\"provenance\">\n"
        for (name, value) in provenance.rows {
            out += "<tr><th>\(Markup.escape(name))</th><td>\(Markup.escape(value))</td></tr>\n"
        }
        out += "</table>\n"
        for (i, section) in sections.enumerated() {
            out += "<section id=\"section-\(i + 1)\">\n<h2>\(Markup.escape(section.heading))</h2>\n"
            for block in section.blocks { out += Self.html(block) }
            out += "</section>\n"
        }
        return out + "</body>\n</html>\n"
    }

    static func html(_ block: Block) -> String {
        switch block {
        case .paragraph(let text):
            return "<p>\(Markup.escape(text))</p>\n"
        case .preformatted(let text):
            return "<pre>\(Markup.escape(text))</pre>\n"
        case .svg(let svg, let caption):
            let figcaption = caption.isEmpty ? "" : "<figcaption>\(Markup.escape(caption))</figcaption>\n"
            return "<figure>\n\(svg)\(figcaption)</figure>\n"
        case .table(let header, let rows):
            let columns = max(header.count, rows.map(\.count).max() ?? 0)
            func cells(_ row: [String], tag: String) -> String {
                (0..<columns).map { "<\(tag)>\(Markup.escape($0 < row.count ? row[$0] : ""))</\(tag)>" }.joined()
            }
            var out = "<table class=\"data\">\n"
            if !header.isEmpty { out += "<thead><tr>\(cells(header, tag: "th"))</tr></thead>\n" }
            out += "<tbody>\n"
            for row in rows { out += "<tr>\(cells(row, tag: "td"))</tr>\n" }
            return out + "</tbody>\n</table>\n"
        }
    }

    static let css = """
        body { font-family: Helvetica, Arial, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }
        h1 { font-size: 1.6em; } h2 { font-size: 1.25em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 1.6em; }
        table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
        table.data td { font-variant-numeric: tabular-nums; }
        table.provenance th { background: #f4f4f4; font-weight: normal; color: #555; }
        figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
        figcaption { font-size: 0.9em; color: #555; }
        pre { background: #f7f7f7; padding: 0.6em; overflow-x: auto; }

        """
}
