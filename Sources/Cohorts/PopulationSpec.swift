import ModelIR

/// What a virtual population is drawn from: parameter distributions (optionally correlated), covariates,
/// and formulas that map covariates to parameters.
public struct PopulationSpec: Sendable {
    /// One varied model input (parameter, compartment size or species initial value).
    public struct ParameterSpec: Sendable {
        public var id: String
        public var distribution: PopulationDistribution
        public init(id: String, distribution: PopulationDistribution) {
            self.id = id
            self.distribution = distribution
        }
    }

    /// A patient characteristic that is not a model input (age, weight, sex...).
    public struct CovariateSpec: Sendable {
        public enum Kind: Sendable {
            /// A continuous covariate with its distribution (e.g. age in years).
            case continuous(PopulationDistribution)
            /// A two-level covariate: value 1 (`level1`) with probability `probability`, else 0 (`level0`).
            /// Sex is `binary(probability: P(female), level1: "female", level0: "male")`.
            case binary(probability: Double, level1: String, level0: String)
        }
        public var name: String
        public var kind: Kind
        public init(name: String, kind: Kind) {
            self.name = name
            self.kind = kind
        }
    }

    /// `parameter := formula`, evaluated after sampling; the formula may use covariates, the varied
    /// parameters' sampled values and any model input's default value.
    public struct Effect: Sendable {
        public var parameter: String
        public var formula: MathExpression
        public init(parameter: String, formula: MathExpression) {
            self.parameter = parameter
            self.formula = formula
        }
    }

    /// A correlation between the standard-normal draws of two varied parameters (Gaussian copula).
    public struct Correlation: Sendable {
        public var first: String
        public var second: String
        public var value: Double
        public init(first: String, second: String, value: Double) {
            self.first = first
            self.second = second
            self.value = value
        }
    }

    public var parameters: [ParameterSpec]
    public var correlations: [Correlation]
    public var covariates: [CovariateSpec]
    public var effects: [Effect]

    public init(parameters: [ParameterSpec] = [], correlations: [Correlation] = [], covariates: [CovariateSpec] = [],
                effects: [Effect] = []) {
        self.parameters = parameters
        self.correlations = correlations
        self.covariates = covariates
        self.effects = effects
    }
}
