import ModelIR

/// Writes a model as readable Antimony text that `AntimonyReader` (and libantimony) read back.
///
/// ```swift
/// let text = AntimonyWriter.write(model)
/// // model decay()
/// //   // Compartments
/// //   compartment c = 1;
/// //   ...
/// ```
///
/// Layout: a header comment, function definitions, then one `model ID() ... end` block with sections for
/// units, compartments, species (`species S in c = 10;`), parameters (`k = 0.3;`, `var x, y;`), rules,
/// reactions, events, initial assignments, units set with `has` and display names; the model's display
/// name follows the block (`id is "Name"`). Empty sections are left out.
///
/// ## Round trip
/// For every model `m` produced by `AntimonyReader`, `AntimonyReader.read(string: write(m)) == m`. To make
/// that hold, every compartment, species and parameter is declared in its section in model order (so the
/// reader's order-of-first-definition gives the same order back), parameters without a number value are
/// declared `var` or `const` according to their `constant` flag, and `var`/`const` prefixes are written
/// wherever a flag differs from what the reader would infer.
///
/// ## What is normalised or lost for other models (for example models read from SBML)
/// - Numbers are written so that they read back exactly; expressions are printed by
///   `MathExpression.description` (`log(x)` becomes `ln(x)`, redundant parentheses are dropped).
/// - A species' initial amount (when not `hasOnlySubstanceUnits`) becomes the initial assignment
///   `S = amount / compartment`, and an initial concentration of a `hasOnlySubstanceUnits` species
///   `S = concentration * compartment`.
/// - Constant species are written as boundary species (`$S`): Antimony cannot say "constant".
/// - Declared modifiers are not written (the reader infers them from the rate law); `fast`, species
///   reference ids, `stoichiometryMath`, unset stoichiometries (written as 1) and conversion factors are
///   lost (conversion factors and other metadata are noted in comments).
/// - Local parameters of a reaction with values are substituted into its rate law.
/// - Elements whose ids Antimony reads as built-in constants (`time`, `pi`, `NaN`, `inf`, ...) are renamed
///   `id_` (see `escapingReservedNames`), everywhere they are used.
public enum AntimonyWriter {
    /// Formats `model` as Antimony text.
    /// - Parameter model: Any model; see the type documentation for what cannot be expressed.
    /// - Returns: The Antimony text, ending with a newline.
    /// - Complexity: O(size of the model).
    public static func write(_ model: Model) -> String {
        let model = escapingReservedNames(model)
        var out = "// Antimony model written by ImmuneTwin\n"
        for (key, value) in model.metadata.sorted(by: { $0.key < $1.key })
        where !key.hasPrefix(AntimonyDraft.unitMetadataPrefix) {
            out += "// \(key): \(oneLine(value))\n"
        }
        if let factor = model.conversionFactor { out += "// conversion factor (not expressible in Antimony): \(factor)\n" }
        for f in model.functions {
            out += "\nfunction \(f.id)(\(f.arguments.joined(separator: ", ")))\n  \(f.body);\nend\n"
        }
        let id = model.id.isEmpty ? "unnamed" : model.id
        out += "\nmodel \(id)()\n"
        let context = Context(model)
        let sections: [(String, [String])] = [
            ("Units", units(model)),
            ("Compartments", model.compartments.map { compartment($0, context) }),
            ("Species", model.species.map { species($0, context) }),
            ("Parameters", parameters(model, context)),
            ("Rules", model.rules.map(rule)),
            ("Reactions", model.reactions.map { reaction($0, context) }),
            ("Events", model.events.map(event)),
            ("Initial assignments", model.initialAssignments.map { "\($0.symbol) = \($0.math);" }),
            ("Units of elements", context.unitStatements),
            ("Display names", displayNames(model)),
        ]
        var first = true
        for (title, lines) in sections where !lines.isEmpty {
            out += (first ? "" : "\n") + "  // \(title)\n"
            for line in lines { out += "  \(line)\n" }
            first = false
        }
        out += "end\n"
        if let name = model.name { out += "\n\(id) is \(quoted(name));\n" }
        return out
    }

    /// What the writer needs to know across sections.
    struct Context {
        /// Symbols that rules, events or algebraic rules change (the reader infers `constant = false`).
        var varied: Set<String> = []
        /// Boundary (or constant) species, marked `$` in reactions.
        var boundary: Set<String> = []
        /// Symbols with an initial assignment (their number value is not written).
        var assigned: Set<String> = []
        /// `X has unit;` statements for elements whose units could not be written after their value.
        var unitStatements: [String] = []

        init(_ model: Model) {
            for rule in model.rules {
                switch rule {
                case .assignment(let v, _), .rate(let v, _): varied.insert(v)
                case .algebraic(let math): varied.formUnion(math.referencedSymbols)
                }
            }
            for event in model.events { varied.formUnion(event.assignments.map(\.variable)) }
            assigned = Set(model.initialAssignments.map(\.symbol))
            boundary = Set(model.species.filter { $0.boundaryCondition || $0.constant }.map(\.id))
            let elements = model.compartments.map { ($0.id, $0.units, $0.size) }
                + model.species.map { ($0.id, $0.units, $0.hasOnlySubstanceUnits ? $0.initialAmount : $0.initialConcentration) }
                + model.parameters.map { ($0.id, $0.units, $0.value) }
            for (id, units, value) in elements {
                guard let units else { continue }
                if value.map({ !$0.isFinite }) ?? true || assigned.contains(id) { unitStatements.append("\(id) has \(units);") }
            }
        }

        /// ` = value units` for a number value, with the units when they go inline.
        func valueText(_ id: String, _ value: Double?, units: String?) -> String {
            guard let value, !assigned.contains(id) else { return "" }
            let inlineUnits = units.map { value.isFinite ? " \($0)" : "" } ?? ""
            return " = \(MathExpression.format(value))\(inlineUnits)"
        }
    }

    static func quoted(_ text: String) -> String {
        "\"" + oneLine(text).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
