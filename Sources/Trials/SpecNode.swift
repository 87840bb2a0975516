import Yams

/// A YAML node with strict accessors: every error names the line and column, and a mapping whose keys are
/// not all consumed reports the unknown ones.
struct SpecNode {
    let node: Node
    let file: String?

    var location: SpecLocation {
        SpecLocation(line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    func error(_ message: String) -> TrialError { location.error(message, file: file) }

    var isNull: Bool {
        if case .scalar(let s) = node { return s.style == .plain && (s.string.isEmpty || s.string == "~" || s.string == "null") }
        return false
    }

    func string(_ what: String) throws -> String {
        guard case .scalar(let s) = node else { throw error("\(what) must be a text value") }
        return s.string
    }

    func double(_ what: String) throws -> Double {
        guard case .scalar(let s) = node, let v = Double(s.string.trimmingCharacters(in: .whitespaces)) ?? node.float, v.isFinite else {
            throw error("\(what) must be a finite number, got \(describe)")
        }
        return v
    }

    func positive(_ what: String) throws -> Double {
        let v = try double(what)
        guard v > 0 else { throw error("\(what) must be positive, got \(v)") }
        return v
    }

    func nonNegative(_ what: String) throws -> Double {
        let v = try double(what)
        guard v >= 0 else { throw error("\(what) must be non-negative, got \(v)") }
        return v
    }

    func int(_ what: String, minimum: Int) throws -> Int {
        guard case .scalar(let s) = node, let v = Int(s.string.trimmingCharacters(in: .whitespaces)) else {
            throw error("\(what) must be a whole number, got \(describe)")
        }
        guard v >= minimum else { throw error("\(what) must be at least \(minimum), got \(v)") }
        return v
    }

    func sequence(_ what: String) throws -> [SpecNode] {
        guard case .sequence(let s) = node else { throw error("\(what) must be a list") }
        return s.map { SpecNode(node: $0, file: file) }
    }

    func mapping(_ what: String) throws -> SpecMapping {
        guard case .mapping(let m) = node else { throw error("\(what) must be a mapping of keys to values") }
        return SpecMapping(mapping: m, file: file, what: what, location: location)
    }

    private var describe: String {
        switch node {
        case .scalar(let s): "'\(s.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        default: "a value"
        }
    }
}

/// A YAML mapping whose keys are taken one by one; `finish()` rejects any key not taken.
final class SpecMapping {
    let file: String?
    let what: String
    let location: SpecLocation
    private(set) var entries: [(key: String, keyNode: SpecNode, value: SpecNode)] = []
    private var used = Set<String>()
    private var asked: [String] = []

    init(mapping: Node.Mapping, file: String?, what: String, location: SpecLocation) {
        self.file = file
        self.what = what
        self.location = location
        for (k, v) in mapping {
            entries.append((k.string ?? "", SpecNode(node: k, file: file), SpecNode(node: v, file: file)))
        }
    }

    func error(_ message: String) -> TrialError { location.error(message, file: file) }

    /// The value of `key`, or nil when absent (a null value counts as absent).
    func optional(_ key: String) -> SpecNode? {
        if !asked.contains(key) { asked.append(key) }
        guard let e = entries.first(where: { $0.key == key }) else { return nil }
        used.insert(key)
        return e.value.isNull ? nil : e.value
    }

    /// The value of `key`; an error naming the mapping's line when absent.
    func required(_ key: String) throws -> SpecNode {
        guard let v = optional(key) else { throw error("\(what) needs '\(key)'") }
        return v
    }

    func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// Every key, in file order, marking all as used.
    func all() -> [(key: String, keyNode: SpecNode, value: SpecNode)] {
        for e in entries { used.insert(e.key) }
        return entries
    }

    /// Throws for the first key not in `keys` (used before required keys are read, so that a misspelt
    /// required key is reported as unknown rather than missing).
    func allow(_ keys: [String]) throws {
        for e in entries where !keys.contains(e.key) {
            throw e.keyNode.error("unknown key '\(e.key)' in \(what) (expected one of: \(keys.joined(separator: ", ")))")
        }
    }

    /// Throws for the first key that was not taken (naming its line) and for duplicate keys.
    func finish() throws {
        var seen = Set<String>()
        for e in entries {
            guard seen.insert(e.key).inserted else { throw e.keyNode.error("'\(e.key)' appears twice in \(what)") }
            if !used.contains(e.key) {
                throw e.keyNode.error("unknown key '\(e.key)' in \(what) (expected one of: \(asked.joined(separator: ", ")))")
            }
        }
    }
}
