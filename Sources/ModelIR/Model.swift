/// A mechanistic model as data: the intermediate representation every importer produces and the compiler
/// consumes. Semantics follow SBML Level 3 core: species symbols denote concentrations unless
/// `hasOnlySubstanceUnits`, reactions change amounts, rules and events act on symbol values.
///
/// `Model` is a value: copy it, edit it, compare it. `validate()` checks ids and references and reports
/// every problem with the id of the offending element.
public struct Model: Hashable, Sendable, Codable {
    /// The model's id (SBML `model@id`, Antimony `model NAME`).
    public var id: String
    public var name: String?
    public var compartments: [Compartment]
    public var species: [Species]
    public var parameters: [Parameter]
    public var reactions: [Reaction]
    public var functions: [FunctionDefinition]
    public var initialAssignments: [InitialAssignment]
    public var rules: [Rule]
    public var events: [Event]
    /// Model-wide conversion factor (a parameter id) applied to species without their own.
    public var conversionFactor: String?
    /// The unit of time as written by the source (e.g. "hour", "day", "second"); informational.
    public var timeUnit: String?
    /// Free-form annotations (citation, DOI, notes) carried through import and export.
    public var metadata: [String: String]

    public init(
        id: String, name: String? = nil, compartments: [Compartment] = [], species: [Species] = [],
        parameters: [Parameter] = [], reactions: [Reaction] = [], functions: [FunctionDefinition] = [],
        initialAssignments: [InitialAssignment] = [], rules: [Rule] = [], events: [Event] = [],
        conversionFactor: String? = nil, timeUnit: String? = nil, metadata: [String: String] = [:]
    ) {
        self.id = id
        self.name = name
        self.compartments = compartments
        self.species = species
        self.parameters = parameters
        self.reactions = reactions
        self.functions = functions
        self.initialAssignments = initialAssignments
        self.rules = rules
        self.events = events
        self.conversionFactor = conversionFactor
        self.timeUnit = timeUnit
        self.metadata = metadata
    }
}

/// A well-mixed volume (or area, length) that holds species.
public struct Compartment: Hashable, Sendable, Codable {
    public var id: String
    public var name: String?
    /// Size in the model's volume unit; `nil` when set only by a rule or initial assignment.
    public var size: Double?
    public var spatialDimensions: Double
    /// False when rules or events may change the size.
    public var constant: Bool
    public var units: String?

    public init(id: String, name: String? = nil, size: Double? = 1, spatialDimensions: Double = 3,
                constant: Bool = true, units: String? = nil) {
        self.id = id
        self.name = name
        self.size = size
        self.spatialDimensions = spatialDimensions
        self.constant = constant
        self.units = units
    }
}

/// A chemical or biological entity (cells, virions, cytokines) located in one compartment.
public struct Species: Hashable, Sendable, Codable {
    public var id: String
    public var name: String?
    /// The id of the compartment the species lives in.
    public var compartment: String
    /// Initial amount (substance units). At most one of `initialAmount` and `initialConcentration` is set.
    public var initialAmount: Double?
    /// Initial concentration (substance per compartment size).
    public var initialConcentration: Double?
    /// When true the species' symbol denotes its amount, otherwise its concentration.
    public var hasOnlySubstanceUnits: Bool
    /// Boundary species are not changed by reactions (rules and events may still change them).
    public var boundaryCondition: Bool
    /// Constant species never change.
    public var constant: Bool
    /// A parameter id scaling this species' reaction-driven change (SBML conversionFactor).
    public var conversionFactor: String?
    public var units: String?

    public init(id: String, name: String? = nil, compartment: String, initialAmount: Double? = nil,
                initialConcentration: Double? = nil, hasOnlySubstanceUnits: Bool = false,
                boundaryCondition: Bool = false, constant: Bool = false, conversionFactor: String? = nil,
                units: String? = nil) {
        self.id = id
        self.name = name
        self.compartment = compartment
        self.initialAmount = initialAmount
        self.initialConcentration = initialConcentration
        self.hasOnlySubstanceUnits = hasOnlySubstanceUnits
        self.boundaryCondition = boundaryCondition
        self.constant = constant
        self.conversionFactor = conversionFactor
        self.units = units
    }
}

/// A named quantity: a rate constant, a treatment input, or a variable set by a rule.
public struct Parameter: Hashable, Sendable, Codable {
    public var id: String
    public var name: String?
    /// `nil` when the value comes only from a rule or initial assignment.
    public var value: Double?
    /// False when rules or events may change it.
    public var constant: Bool
    public var units: String?

    public init(id: String, name: String? = nil, value: Double? = nil, constant: Bool = true, units: String? = nil) {
        self.id = id
        self.name = name
        self.value = value
        self.constant = constant
        self.units = units
    }
}

/// A reactant or product of a reaction with its stoichiometry.
public struct SpeciesReference: Hashable, Sendable, Codable {
    public var species: String
    /// The stoichiometry; `nil` means 1 unless set by a rule, initial assignment or `stoichiometryMath`.
    public var stoichiometry: Double?
    /// Optional id (SBML L3) that rules and events can target and expressions can read.
    public var id: String?
    /// False when the stoichiometry may change over time (SBML L3 `constant`).
    public var constant: Bool
    /// SBML Level 2 `stoichiometryMath`.
    public var stoichiometryMath: MathExpression?

    public init(species: String, stoichiometry: Double? = 1, id: String? = nil, constant: Bool = true,
                stoichiometryMath: MathExpression? = nil) {
        self.species = species
        self.stoichiometry = stoichiometry
        self.id = id
        self.constant = constant
        self.stoichiometryMath = stoichiometryMath
    }
}

/// A process converting reactants into products at the rate given by its kinetic law (substance/time).
public struct Reaction: Hashable, Sendable, Codable {
    public var id: String
    public var name: String?
    public var reactants: [SpeciesReference]
    public var products: [SpeciesReference]
    /// Species that appear in the rate law without being consumed or produced.
    public var modifiers: [String]
    /// The rate in substance per time (SBML semantics: already multiplied by volume where needed).
    public var kineticLaw: MathExpression?
    /// Parameters visible only inside this kinetic law; they shadow global ids.
    public var localParameters: [Parameter]
    public var reversible: Bool
    /// SBML `fast` attribute: the simulator treats fast reactions as a rapid equilibrium (their rates held at 0,
    /// the pools they conserve moved by the slow reactions).
    public var fast: Bool

    public init(id: String, name: String? = nil, reactants: [SpeciesReference] = [], products: [SpeciesReference] = [],
                modifiers: [String] = [], kineticLaw: MathExpression?, localParameters: [Parameter] = [],
                reversible: Bool = false, fast: Bool = false) {
        self.id = id
        self.name = name
        self.reactants = reactants
        self.products = products
        self.modifiers = modifiers
        self.kineticLaw = kineticLaw
        self.localParameters = localParameters
        self.reversible = reversible
        self.fast = fast
    }
}

/// A rule: a variable defined by a formula at all times, its derivative, or an algebraic constraint.
public enum Rule: Hashable, Sendable, Codable {
    /// `variable := math` at every time (Antimony `x := ...`).
    case assignment(variable: String, math: MathExpression)
    /// `d variable / dt = math` (Antimony `x' = ...`).
    case rate(variable: String, math: MathExpression)
    /// `0 = math`.
    case algebraic(math: MathExpression)

    /// The variable the rule defines, if any.
    public var variable: String? {
        switch self {
        case .assignment(let v, _), .rate(let v, _): v
        case .algebraic: nil
        }
    }

    /// The rule's formula.
    public var math: MathExpression {
        switch self {
        case .assignment(_, let m), .rate(_, let m), .algebraic(let m): m
        }
    }
}

/// A value computed once at the start of the simulation (after all explicit initial values).
public struct InitialAssignment: Hashable, Sendable, Codable {
    public var symbol: String
    public var math: MathExpression
    public init(symbol: String, math: MathExpression) {
        self.symbol = symbol
        self.math = math
    }
}

/// A user function: `id(arguments) = body`. The body may use only its arguments and other functions.
public struct FunctionDefinition: Hashable, Sendable, Codable {
    public var id: String
    public var arguments: [String]
    public var body: MathExpression
    public init(id: String, arguments: [String], body: MathExpression) {
        self.id = id
        self.arguments = arguments
        self.body = body
    }
}

/// A discontinuous change: when `trigger` becomes true, after `delay`, the assignments are executed.
///
/// Semantics follow SBML L3v2: the trigger fires on a false→true transition; `initialValue` is the trigger
/// value assumed just before t0 (so `false` lets an event fire at t0); a non-`persistent` event is cancelled
/// when its trigger turns false before the delay elapses; with `useValuesFromTriggerTime` the assigned
/// values are computed when the event triggers, otherwise when it executes; among events executing at the
/// same time the one with the highest `priority` goes first (ties broken at random by a seeded stream).
public struct Event: Hashable, Sendable, Codable {
    public var id: String
    public var name: String?
    public var trigger: MathExpression
    public var initialValue: Bool
    public var persistent: Bool
    public var delay: MathExpression?
    public var priority: MathExpression?
    public var useValuesFromTriggerTime: Bool
    public var assignments: [EventAssignment]

    public init(id: String, name: String? = nil, trigger: MathExpression, initialValue: Bool = true, persistent: Bool = true,
                delay: MathExpression? = nil, priority: MathExpression? = nil, useValuesFromTriggerTime: Bool = true,
                assignments: [EventAssignment]) {
        self.id = id
        self.name = name
        self.trigger = trigger
        self.initialValue = initialValue
        self.persistent = persistent
        self.delay = delay
        self.priority = priority
        self.useValuesFromTriggerTime = useValuesFromTriggerTime
        self.assignments = assignments
    }
}

/// `variable = math`, executed when its event fires.
public struct EventAssignment: Hashable, Sendable, Codable {
    public var variable: String
    public var math: MathExpression
    public init(variable: String, math: MathExpression) {
        self.variable = variable
        self.math = math
    }
}
