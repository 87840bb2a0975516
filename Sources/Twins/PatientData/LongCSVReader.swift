import Foundation

/// Reads patient observations from CSV in long format: a header with `time`, `observable`, `value` and optionally
/// `sd` (any column order, extra columns are errors so typos are not ignored), then one measurement per row.
///
/// Checked: the header, the number of fields per row, numbers (finite; `sd` > 0), non-empty observable ids
/// and — when `knownObservables` is given — that each id is one of them. Every bad row is reported (all of
/// them, with file, line and column) in one `PatientDataErrors`; nothing is silently dropped. Blank lines and
/// lines starting with `#` are skipped. Quoted fields (RFC 4180) are supported.
public enum LongCSVReader {
    public static func read(contentsOf url: URL, knownObservables: Set<String>? = nil) throws -> [PatientObservation] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PatientDataError(file: url.path, line: 0, message: "cannot read: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PatientDataError(file: url.path, line: 0, message: "not UTF-8 text")
        }
        return try read(string: text, file: url.lastPathComponent, knownObservables: knownObservables)
    }

    public static func read(string: String, file: String = "<data>", knownObservables: Set<String>? = nil) throws -> [PatientObservation] {
        var lines = string.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.first?.hasPrefix("\u{FEFF}") == true { lines[0].removeFirst() }
        guard let headerIndex = lines.firstIndex(where: { !isSkippable($0) }) else {
            throw PatientDataError(file: file, line: 0, message: "no header: expected time,observable,value[,sd]")
        }
        let header = try fields(lines[headerIndex], file: file, line: headerIndex + 1).map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        var column: [String: Int] = [:]
        for (i, name) in header.enumerated() {
            guard ["time", "observable", "value", "sd"].contains(name) else {
                throw PatientDataError(file: file, line: headerIndex + 1, column: name,
                                       message: "unknown column '\(name)'; expected time,observable,value[,sd]")
            }
            guard column[name] == nil else {
                throw PatientDataError(file: file, line: headerIndex + 1, column: name, message: "duplicate column")
            }
            column[name] = i
        }
        for required in ["time", "observable", "value"] where column[required] == nil {
            throw PatientDataError(file: file, line: headerIndex + 1, message: "missing column '\(required)'")
        }
        var observations: [PatientObservation] = []
        var errors: [PatientDataError] = []
        for index in (headerIndex + 1)..<lines.count where !isSkippable(lines[index]) {
            let lineNumber = index + 1
            do {
                let row = try fields(lines[index], file: file, line: lineNumber)
                guard row.count == header.count else {
                    throw PatientDataError(file: file, line: lineNumber, message: "expected \(header.count) fields, found \(row.count)")
                }
                func number(_ name: String) throws -> Double? {
                    guard let c = column[name] else { return nil }
                    let text = row[c].trimmingCharacters(in: .whitespaces)
                    if name == "sd" && text.isEmpty { return nil }
                    guard let v = Double(text), v.isFinite else {
                        throw PatientDataError(file: file, line: lineNumber, column: name, message: "not a finite number: '\(text)'")
                    }
                    return v
                }
                let observable = row[column["observable"]!].trimmingCharacters(in: .whitespaces)
                guard !observable.isEmpty else {
                    throw PatientDataError(file: file, line: lineNumber, column: "observable", message: "empty observable id")
                }
                if let known = knownObservables, !known.contains(observable) {
                    throw PatientDataError(file: file, line: lineNumber, column: "observable",
                                           message: "unknown observable '\(observable)'; known: \(known.sorted().joined(separator: ", "))")
                }
                let sd = try number("sd")
                if let sd, sd <= 0 {
                    throw PatientDataError(file: file, line: lineNumber, column: "sd", message: "sd must be positive, got \(sd)")
                }
                observations.append(PatientObservation(time: try number("time")!, observable: observable,
                                                        value: try number("value")!, sd: sd, source: "\(file):\(lineNumber)"))
            } catch let error as PatientDataError {
                errors.append(error)
            }
        }
        guard errors.isEmpty else { throw PatientDataErrors(errors: errors) }
        return observations
    }

    private static func isSkippable(_ line: String) -> Bool {
        let t = line.trimmingCharacters(in: .whitespaces)
        return t.isEmpty || t.hasPrefix("#")
    }

    /// Splits one CSV record (RFC 4180 quoting; a quoted field may not span lines here).
    static func fields(_ line: String, file: String, line lineNumber: Int) throws -> [String] {
        var result: [String] = []
        var current = ""
        var quoted = false
        var iterator = Array(line).makeIterator()
        var pending: Character? = iterator.next()
        while let ch = pending {
            pending = iterator.next()
            if quoted {
                if ch == "\"" {
                    if pending == "\"" {
                        current.append("\"")
                        pending = iterator.next()
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(ch)
                }
            } else if ch == "\"" && current.isEmpty {
                quoted = true
            } else if ch == "," {
                result.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        guard !quoted else { throw PatientDataError(file: file, line: lineNumber, message: "unterminated quoted field") }
        result.append(current)
        return result
    }
}
