import Foundation
import ModelIR

/// A PEtab v1 parameter-estimation problem: one SBML model and its condition, observable, measurement and
/// parameter tables, read by `PEtabReader`.
///
/// Values are as the tables give them (parameter values on the linear scale); nothing is simulated here.
public struct PEtabProblem: Sendable {
    /// The folder of the problem YAML (table paths are relative to it).
    public var directory: URL
    /// The model file name as the YAML gives it.
    public var modelFile: String
    public var model: Model
    public var conditions: [PEtabCondition]
    public var observables: [PEtabObservable]
    public var measurements: [PEtabMeasurement]
    public var parameters: [PEtabParameter]

    public init(directory: URL, modelFile: String, model: Model, conditions: [PEtabCondition],
                observables: [PEtabObservable], measurements: [PEtabMeasurement], parameters: [PEtabParameter]) {
        self.directory = directory
        self.modelFile = modelFile
        self.model = model
        self.conditions = conditions
        self.observables = observables
        self.measurements = measurements
        self.parameters = parameters
    }

    /// A short name: the YAML's folder name.
    public var name: String { directory.lastPathComponent }
}

/// A number, or the id of a parameter in the parameter table (in conditions and measurement overrides).
public enum PEtabValue: Hashable, Sendable, CustomStringConvertible {
    case number(Double)
    case parameter(String)

    /// Parses a cell: a number (including `inf`, `nan`) or an identifier.
    public init(_ text: String) {
        if let x = TSVTable.parseNumber(text) { self = .number(x) } else { self = .parameter(text) }
    }

    public var description: String {
        switch self {
        case .number(let x): "\(x)"
        case .parameter(let id): id
        }
    }
}

/// One row of the condition table: values for model parameters, compartment sizes or species initial values.
public struct PEtabCondition: Hashable, Sendable {
    public var id: String
    public var name: String?
    /// Overrides in column order; `nil` (an empty or NaN cell) keeps the model's own value.
    public var overrides: [(target: String, value: PEtabValue?)] {
        get { zip(targets, values).map { ($0, $1) } }
        set {
            targets = newValue.map(\.target)
            values = newValue.map(\.value)
        }
    }
    private var targets: [String]
    private var values: [PEtabValue?]

    public init(id: String, name: String? = nil, overrides: [(target: String, value: PEtabValue?)]) {
        self.id = id
        self.name = name
        targets = overrides.map(\.target)
        values = overrides.map(\.value)
    }
}

/// How measurements and simulations are transformed before the noise model applies.
public enum PEtabTransformation: String, Hashable, Sendable, CaseIterable {
    case lin, log, log10
}

/// The distribution of measurement noise (on the transformed scale).
public enum PEtabNoiseDistribution: String, Hashable, Sendable, CaseIterable {
    case normal, laplace
}

/// One row of the observable table.
///
/// `formula` may refer to model entities, parameter-table parameters and placeholders
/// `observableParameter<k>_<id>`; `noiseFormula` to placeholders `noiseParameter<k>_<id>` as well.
public struct PEtabObservable: Hashable, Sendable {
    public var id: String
    public var name: String?
    public var formula: MathExpression
    public var noiseFormula: MathExpression
    public var transformation: PEtabTransformation
    public var distribution: PEtabNoiseDistribution

    public init(id: String, name: String? = nil, formula: MathExpression, noiseFormula: MathExpression,
                transformation: PEtabTransformation = .lin, distribution: PEtabNoiseDistribution = .normal) {
        self.id = id
        self.name = name
        self.formula = formula
        self.noiseFormula = noiseFormula
        self.transformation = transformation
        self.distribution = distribution
    }
}

/// One row of the measurement table.
public struct PEtabMeasurement: Hashable, Sendable {
    public var observableId: String
    /// Condition simulated to steady state before the simulation condition starts, if any.
    public var preequilibrationConditionId: String?
    public var simulationConditionId: String
    /// The measured value (linear scale, as measured).
    public var value: Double
    /// Model time; `.infinity` means at the steady state of the simulation condition.
    public var time: Double
    /// Values of `observableParameter1_<obs>`, `observableParameter2_<obs>`, … for this row.
    public var observableParameters: [PEtabValue]
    /// Values of `noiseParameter1_<obs>`, … for this row.
    public var noiseParameters: [PEtabValue]
    public var datasetId: String?
    public var replicateId: String?
    /// The 1-based line in its measurement file, and the file name, for error messages.
    public var line: Int
    public var file: String

    public init(observableId: String, preequilibrationConditionId: String? = nil, simulationConditionId: String,
                value: Double, time: Double, observableParameters: [PEtabValue] = [], noiseParameters: [PEtabValue] = [],
                datasetId: String? = nil, replicateId: String? = nil, line: Int = 0, file: String = "") {
        self.observableId = observableId
        self.preequilibrationConditionId = preequilibrationConditionId
        self.simulationConditionId = simulationConditionId
        self.value = value
        self.time = time
        self.observableParameters = observableParameters
        self.noiseParameters = noiseParameters
        self.datasetId = datasetId
        self.replicateId = replicateId
        self.line = line
        self.file = file
    }
}

/// The scale on which a parameter is estimated.
public enum PEtabScale: String, Hashable, Sendable, CaseIterable {
    case lin, log, log10

    /// `x` (linear) on this scale.
    public func scale(_ x: Double) -> Double {
        switch self {
        case .lin: x
        case .log: Foundation.log(x)
        case .log10: Foundation.log10(x)
        }
    }

    /// The linear value of `x` given on this scale.
    public func unscale(_ x: Double) -> Double {
        switch self {
        case .lin: x
        case .log: exp(x)
        case .log10: pow(10, x)
        }
    }

    /// d(linear value)/d(scaled value) at scaled value `x`.
    public func unscaleDerivative(_ x: Double) -> Double {
        switch self {
        case .lin: 1
        case .log: exp(x)
        case .log10: pow(10, x) * Foundation.log(10)
        }
    }
}

/// A prior on one parameter (PEtab `objectivePriorType` / `objectivePriorParameters`).
public struct PEtabPrior: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case uniform, normal, laplace, logNormal, logLaplace
        case parameterScaleUniform, parameterScaleNormal, parameterScaleLaplace
    }
    public var kind: Kind
    /// The two parameters: (lower, upper) for uniform; (mean or location, standard deviation or scale) otherwise.
    public var parameters: (Double, Double)

    public init(kind: Kind, parameters: (Double, Double)) {
        self.kind = kind
        self.parameters = parameters
    }

    public static func == (a: PEtabPrior, b: PEtabPrior) -> Bool {
        a.kind == b.kind && a.parameters.0 == b.parameters.0 && a.parameters.1 == b.parameters.1
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(parameters.0)
        hasher.combine(parameters.1)
    }
}

/// One row of the parameter table.
public struct PEtabParameter: Hashable, Sendable {
    public var id: String
    public var name: String?
    public var scale: PEtabScale
    /// Bounds on the linear scale.
    public var lowerBound: Double
    public var upperBound: Double
    /// Nominal value on the linear scale (the fixed value when `estimate` is false).
    public var nominalValue: Double
    public var estimate: Bool
    public var prior: PEtabPrior?

    public init(id: String, name: String? = nil, scale: PEtabScale = .lin, lowerBound: Double = -.infinity,
                upperBound: Double = .infinity, nominalValue: Double, estimate: Bool, prior: PEtabPrior? = nil) {
        self.id = id
        self.name = name
        self.scale = scale
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.nominalValue = nominalValue
        self.estimate = estimate
        self.prior = prior
    }
}
