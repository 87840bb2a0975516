/// The curated description of a built-in model (decoded from `Models/NAME.json`).
///
/// Every id in `species`, `parameters` and `derived` names an element of the model's Antimony
/// source, and every element of the source is listed (the library tests enforce both directions).
/// Values are the defaults of the source; `source` fields say where each came from.
public struct LibraryEntry: Codable, Hashable, Sendable {
    /// The library name (`ModelLibrary.model(named:)`), also the Antimony model id.
    public var name: String
    /// A one-line title.
    public var title: String
    /// What the model describes, in a few sentences for a newcomer.
    public var summary: String
    /// The publication the model and its values come from.
    public var citation: Citation
    /// The model's unit of time (e.g. "hour", "day"); every rate and time is in this unit.
    public var timeUnit: String
    /// The verification status as summarised by the project catalog.
    public var status: String
    /// The state variables with meaning, unit and initial value.
    public var species: [SpeciesInfo]
    /// Every constant parameter of the model, treatment inputs included.
    public var parameters: [ParameterInfo]
    /// Quantities defined by assignment rules (`x := ...` in the source).
    public var derived: [DerivedQuantity]
    /// Parameters a trial may switch to represent a treatment (ids of `parameters`).
    public var treatmentInputs: [TreatmentInput]
    /// Named outputs as expressions over species, parameters and `time`.
    public var observables: [Observable]
    /// Default between-patient variability for virtual cohorts.
    public var variability: [ParameterVariability]
    /// Published (or derived) quantitative checks, each with its confidence tag.
    public var checks: [PublishedCheck]
    /// Named parameter / initial-value sets (paper scenarios, individual patients).
    public var scenarios: [Scenario]
    /// Caveats and provenance notes.
    public var notes: [String]

    /// Looks up a parameter by id.
    public func parameter(_ id: String) -> ParameterInfo? { parameters.first { $0.id == id } }

    /// Looks up a scenario by name.
    public func scenario(_ name: String) -> Scenario? { scenarios.first { $0.name == name } }
}
