/// A bibliographic reference with the artefacts the model was checked against.
public struct Citation: Codable, Hashable, Sendable {
    /// The full reference (authors, title, journal, year, pages).
    public var reference: String
    /// The DOI, without the `https://doi.org/` prefix.
    public var doi: String?
    /// False when the DOI was written from memory and not confirmed against a stored copy.
    public var doiVerified: Bool
    /// PubMed id, when known.
    public var pmid: String?
    /// PubMed Central id, when known.
    public var pmcid: String?
    /// The model files, code and texts the equations and values were taken from (with commits).
    public var sources: [String]
}

/// A state variable of the model.
public struct SpeciesInfo: Codable, Hashable, Sendable {
    /// The species id in the Antimony source.
    public var id: String
    /// A short name.
    public var name: String
    /// What the variable represents biologically.
    public var meaning: String
    /// Its unit (model units are stated as such).
    public var unit: String
    /// The default initial value (the value at the start time before any scenario override).
    public var initialValue: Double
    /// Where the initial value comes from.
    public var initialSource: String
}

/// A constant parameter with its default value.
public struct ParameterInfo: Codable, Hashable, Sendable {
    /// The parameter id in the Antimony source.
    public var id: String
    /// The default value, equal to the value in the source.
    public var value: Double
    /// The unit, in the model's time unit.
    public var unit: String
    /// What the parameter means.
    public var meaning: String
    /// Where the value comes from (paper table, curated SBML, PEtab, or "project assumption").
    public var source: String
}

/// A quantity defined by an assignment rule in the source.
public struct DerivedQuantity: Codable, Hashable, Sendable {
    /// The rule-defined id.
    public var id: String
    /// The defining formula, as in the source.
    public var expression: String
    /// Its unit.
    public var unit: String
    /// What it means.
    public var meaning: String
}

/// A parameter that represents a treatment and that trials switch or vary.
public struct TreatmentInput: Codable, Hashable, Sendable {
    /// The parameter id (also listed in ``LibraryEntry/parameters``).
    public var id: String
    /// What the treatment does in the model.
    public var meaning: String
    /// Its unit.
    public var unit: String
    /// The value that means "untreated" (may differ from the default, e.g. when the published
    /// scenario is a treated one).
    public var untreatedValue: Double
    /// Values of interest (published doses, thresholds), if any.
    public var typicalValues: [Double]?
    /// Caveats (extensions of the published model, known limitations).
    public var notes: String
}

/// A named output computed from the model's symbols.
public struct Observable: Codable, Hashable, Sendable {
    /// The output name.
    public var id: String
    /// The formula in Antimony / SBML L3 infix syntax over species, parameters, derived quantities
    /// and `time` (parse it with `ExpressionParser.parse`).
    public var expression: String
    /// Its unit.
    public var unit: String
    /// What it measures.
    public var meaning: String
    /// True when the quantity is measured in patients (viral load, tumour burden, a marker).
    public var isClinical: Bool
}

/// The default between-patient variation of one parameter (or species initial value).
public struct ParameterVariability: Codable, Hashable, Sendable {
    /// The shape of a population distribution around the default value.
    public enum Distribution: String, Codable, Hashable, Sendable {
        /// Log-normal with median equal to the default value and coefficient of variation `cv`.
        case lognormal
        /// Normal with mean equal to the default value and standard deviation `sd`.
        case normal
        /// Uniform between `lower` and `upper`.
        case uniform
    }
    /// The parameter or species id that varies.
    public var parameter: String
    /// The distribution shape.
    public var distribution: Distribution
    /// Coefficient of variation (for ``Distribution/lognormal``).
    public var cv: Double?
    /// Standard deviation in the parameter's unit (for ``Distribution/normal``).
    public var sd: Double?
    /// Lower bound (for ``Distribution/uniform``).
    public var lower: Double?
    /// Upper bound (for ``Distribution/uniform``).
    public var upper: Double?
    /// Where the spread comes from.
    public var source: String
    /// True when the spread is a project assumption rather than an estimate from data.
    public var isAssumption: Bool
}

/// A quantitative check a correct implementation must reproduce.
public struct PublishedCheck: Codable, Hashable, Sendable {
    /// How far the check can be trusted (the catalog's tags).
    public enum Confidence: String, Codable, Hashable, Sendable {
        /// Reproduced numerically against a reference artefact, or derived analytically.
        case H
        /// From the paper abstract or a secondary source, consistent with the equations.
        case M
        /// From memory or a single unverified source; never used as a pass/fail gate.
        case L
    }
    /// A short id.
    public var id: String
    /// What is checked.
    public var description: String
    /// The expected values as published.
    public var expected: String
    /// The confidence tag.
    public var confidence: Confidence
    /// True when a library test gates on this check.
    public var isTested: Bool
    /// The test that checks it, or why it is not tested.
    public var test: String
}

/// A named set of parameter and initial-value overrides.
public struct Scenario: Codable, Hashable, Sendable {
    /// The scenario name (e.g. "septic_death", a patient id).
    public var name: String
    /// What it represents.
    public var description: String
    /// Values to set (parameter ids or species ids for initial values).
    public var inputs: [String: Double]
    /// Suggested simulation start, in the model's time unit.
    public var startTime: Double?
    /// Suggested simulation end, in the model's time unit.
    public var endTime: Double?
}
