import Foundation
import ModelIR

/// Reads models written in Antimony, the human-readable model language of tellurium / libantimony.
///
/// ```swift
/// let model = try AntimonyReader.read(string: """
///     model decay()
///       compartment c = 1; species A in c
///       J1: A => ; k*A
///       A = 10; k = 0.1
///     end
///     """)
/// // model.species[0].initialConcentration == 10, model.reactions[0].reversible == false
/// ```
///
/// ## Supported language
/// - One `model NAME() ... end` block (also `model *NAME()`), or statements with no model block (the
///   model id is then `__main`, as in libantimony). Functions and units may stand outside the block, and
///   `NAME is "Display name"` may follow it. Statements end at a newline or `;`; comments are `//`,
///   `#` and `/* */`.
/// - Declarations: `compartment c = 1`, `species S in c`, `species $S` (boundary), `const`, `var`,
///   `substanceOnly species X`, lists separated by `,`, and `S in c` on its own.
/// - Reactions `J1: A + 2 B -> C; k1*A*B`: `->` is reversible (`reversible == true`), `=>` irreversible;
///   `$A` marks a boundary species; sides may be empty; stoichiometries are numbers; the rate law may be
///   omitted. Unnamed reactions get ids `_J0`, `_J1`, .... Species in the rate law that are neither
///   reactants nor products become modifiers, in order of appearance.
/// - `x = 3` (initial value), `x = k*2` (initial assignment), `x := expr` (assignment rule),
///   `x' = expr` (rate rule), `0 = expr` (algebraic rule). A later `x = ...` replaces an earlier one;
///   `x := ...` replaces an initial value; `x = ...` after `x := ...` is an error, as is giving a
///   variable both an assignment and a rate rule.
/// - `function f(a, b) a*b/(1 + a) end`.
/// - Events `E1: at 2 after (time > 5), priority = 1, t0 = false, persistent = false, fromTrigger = false:
///   k = 0, S = S + 1`; unnamed events get ids `_E0`, `_E1`, ....
/// - Units: `unit per_hour = 1/hour` is kept in `Model.metadata["unit:per_hour"] = "1/hour"`;
///   `unit time_unit = hour` (or `time_unit = hour`) sets `Model.timeUnit`; `k = 0.3 per_hour` and
///   `k has per_hour` set the element's `units`.
/// - Display names `A is "Pathogen"` set `name` (of a compartment, species, parameter, reaction, event, or
///   the model).
///
/// ## Semantics (libantimony's)
/// - A species' number value (`S = 10`) is its initial *concentration* (`initialConcentration`), whatever
///   is known about its compartment's size; for `substanceOnly` species it is the initial amount. An
///   expression value is an initial assignment to the species symbol, which denotes a concentration
///   unless the species is `substanceOnly`. Species are never `constant`; `const S` and `$S` make a
///   species a boundary species.
/// - Rate laws are taken as written, in substance per time (write `c * k * S` for mass action in a
///   compartment `c`).
/// - `log(x)` is the natural logarithm (`ln`), `log(b, x)` the logarithm to base `b`.
/// - Species without a compartment are put in `default_compartment` (size 1), created only when needed.
/// - Symbols used in expressions but never declared or given a value become parameters with
///   `value == nil` (libantimony defaults them to 0 with a warning): the model validates, and compiling
///   it reports the missing value by name.
/// - A compartment declared without a size has `size == nil`.
/// - Parameters and compartments are constant unless declared `var` or changed by a rule or event.
/// - Order: within compartments, species and parameters, elements appear in the order of their first
///   definition (a declaration, or a statement whose subject they are: `x = `, `x := `, `x is`, a reaction
///   they take part in, ...), then elements that are only used, in the order of first use. Reactions,
///   rules, initial assignments and events keep the order of their (last) statement.
///
/// Not supported (each reported with its line and column): submodels, `import`, module parameters,
/// dotted names, nested compartments (`compartment a in b`), annotations (`A identity "..."`), DNA
/// strands, `delete`, several model blocks, local reaction parameters, statements outside the model block.
public enum AntimonyReader {
    /// Reads a model from Antimony text.
    /// - Parameters:
    ///   - string: The Antimony source.
    ///   - file: The file name used in syntax errors (optional).
    /// - Returns: A model that passes `Model.validate()`.
    /// - Throws: `ModelError.syntax` with the line and column of the offending token for malformed or
    ///   unsupported input; `ModelError.multipleDefinitions` naming a variable defined in conflicting ways
    ///   (with the line and column in the reason); `ModelErrors` when the model fails validation.
    /// - Complexity: O(n) in the length of the text.
    public static func read(string: String, file: String? = nil) throws -> Model {
        do {
            var parser = try AntimonyParser(text: string)
            return try parser.parse().build()
        } catch ModelError.syntax(let message, let location, nil) where file != nil {
            throw ModelError.syntax(message: message, location: location, file: file)
        }
    }

    /// Reads a model from an Antimony file.
    /// - Parameter url: The file to read (UTF-8).
    /// - Returns: A model that passes `Model.validate()`.
    /// - Throws: Errors reading the file, and the errors of `read(string:file:)`, naming the file.
    public static func read(contentsOf url: URL) throws -> Model {
        try read(string: String(contentsOf: url, encoding: .utf8), file: url.path)
    }
}
