import Cohorts
import ModelIR
import Simulation

/// A virtual clinical trial as written in a trial spec file (see docs/trial-spec.md). Every element keeps
/// the location it was written at, so that checks against the model can name the line.
public struct TrialSpec: Sendable {
    /// How patients are allocated to arms.
    public enum Design: String, Sendable {
        /// Each virtual patient is randomised to one arm by the arms' ratios (block randomisation keyed by
        /// (seed, block, "randomisation")).
        case parallel
        /// Every virtual patient receives every arm (an in-silico counterfactual; rows per patient and arm).
        case matched
    }

    public var name: String
    /// A built-in model name or a path to an SBML (.xml, .sbml) or Antimony (.ant) file, relative to the spec.
    public var model: String
    public var modelLocation: SpecLocation
    public var seed: UInt64
    /// Sample sizes: the largest is simulated; all are used for the power curve.
    public var sampleSizes: [Int]
    public var design: Design
    public var solver: SolverOptions
    /// Extra named outputs (id = expression over the model's symbols).
    public var observables: [ObservableSpec]
    public var population: PopulationSpec
    /// Locations of population elements (parameter ids, effect targets), for errors found against the model.
    public var populationLocations: [String: SpecLocation]
    public var inclusion: [Criterion]
    public var exclusion: [Criterion]
    public var selection: SelectionSpec?
    /// Candidates drawn per patient before it is recorded as not eligible.
    public var maxAttempts: Int
    public var events: [EventSpec]
    public var arms: [ArmSpec]
    public var followUp: FollowUp
    public var endpoints: [EndpointSpec]
    /// The arm every other arm is compared with (index into `arms`).
    public var referenceArm: Int
    public var power: PowerSpec?
    /// The observable whose median and 5–95 % band per arm the report plots, and how many patients to keep.
    public var trajectory: TrajectorySpec?
}

public struct ObservableSpec: Sendable {
    public var id: String
    public var expression: MathExpression
    public var location: SpecLocation
}

/// An inclusion or exclusion criterion.
public struct Criterion: Sendable {
    public enum Kind: Sendable {
        /// A formula over covariates and parameters (baseline), true = 1.
        case rule(MathExpression)
        /// An observable of the untreated (pre-treatment) simulation at `time`, compared with a threshold.
        case observable(id: String, time: Double, threshold: Double, above: Bool)
    }
    public var kind: Kind
    public var location: SpecLocation
}

/// Allen et al. (2016) selection of the population to match target distributions of outputs.
public struct SelectionSpec: Sendable {
    public struct Target: Sendable {
        public var observable: String
        public var time: Double
        public var distribution: PopulationDistribution
        public var location: SpecLocation
    }
    public var targets: [Target]
    /// Plausible patients simulated to estimate the plausible density.
    public var pilot: Int
    public var location: SpecLocation
}

/// A named event such as symptom onset: the first time `observable` rises above (or falls below) `threshold`.
public struct EventSpec: Sendable {
    public var name: String
    public var observable: String
    public var threshold: Double
    public var above: Bool
    public var location: SpecLocation
}

public struct ArmSpec: Sendable {
    public var name: String
    public var ratio: Int
    public var regimen: [RegimenItem]
    public var location: SpecLocation
}

/// One line of a regimen: a dose or a switched treatment input, given at `at` (model time units) after the
/// reference (`relativeTo` nil = the start of the simulation, i.e. infection), repeated `count` times every
/// `every` time units.
public struct RegimenItem: Sendable {
    public enum Kind: Sendable {
        case bolus(amount: Double)
        case infusion(amount: Double, duration: Double)
        /// The input is set to `value`; with `duration`, it returns to the patient's own value after it.
        case set(value: Double, duration: Double?)
    }
    public var target: String
    public var kind: Kind
    public var at: Double
    public var relativeTo: String?
    public var every: Double?
    public var count: Int
    public var location: SpecLocation
}

public struct FollowUp: Sendable {
    public var start: Double
    public var end: Double
    /// Points of the output grid (peaks are taken on it; endpoint times are added to it).
    public var points: Int
}

public struct EndpointSpec: Sendable {
    public enum Kind: Sendable {
        case value(observable: String, time: Double)
        case auc(observable: String, from: Double, to: Double)
        case peak(observable: String, from: Double, to: Double)
        /// Time-to-event: the first time after `after` the observable is above/below the threshold,
        /// censored at the end of follow-up.
        case timeTo(observable: String, threshold: Double, above: Bool, after: Double)
        /// Binary: 1 when the formula (over earlier endpoints, covariates and parameters) is true.
        case responder(rule: MathExpression)
    }
    public var name: String
    public var kind: Kind
    public var location: SpecLocation

    /// True for time-to-event endpoints (they have an extra `<name>_event` column).
    public var isTimeToEvent: Bool { if case .timeTo = kind { return true }; return false }
    public var isBinary: Bool { if case .responder = kind { return true }; return false }
}

public struct PowerSpec: Sendable {
    public var endpoint: String
    public var replicates: Int
    public var alpha: Double
    public var location: SpecLocation
}

public struct TrajectorySpec: Sendable {
    public var observable: String
    /// Patients kept for the bands (a seeded subsample, the same for any threads or shards).
    public var patients: Int
    public var location: SpecLocation
}
