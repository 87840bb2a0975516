import Foundation
import ModelLibrary

/// One individual (patient-specific) parameter of a twin and its population prior.
///
/// The parameter is estimated on its *scale*: `log` for a log-normal population distribution (the prior is then
/// normal on ln θ with mean ln(median) and SD ω = √ln(1 + CV²)), `linear` for a normal one. Bounds on the scale
/// (mean ± 6 SD unless given) keep the optimiser inside the region where the prior has mass.
public struct IndividualParameter: Codable, Hashable, Sendable {
    public enum Scale: String, Codable, Hashable, Sendable { case log, linear }

    /// The model input id (a parameter or a species' initial value).
    public var id: String
    public var scale: Scale
    /// Prior mean on the scale (ln of the median for `log`).
    public var mean: Double
    /// Prior SD on the scale (> 0).
    public var sd: Double
    public var lower: Double
    public var upper: Double

    public init(id: String, scale: Scale, mean: Double, sd: Double, lower: Double? = nil, upper: Double? = nil) {
        self.id = id
        self.scale = scale
        self.mean = mean
        self.sd = sd
        self.lower = lower ?? mean - 6 * sd
        self.upper = upper ?? mean + 6 * sd
    }

    /// The model value for a value on the scale.
    public func modelValue(_ x: Double) -> Double { scale == .log ? exp(x) : x }
    /// The scale value for a model value.
    public func scaled(_ value: Double) -> Double { scale == .log ? log(value) : value }
}

/// The measurement error of one observable: additive normal noise with SD `sd` on the observable's scale.
public struct ErrorModel: Codable, Hashable, Sendable {
    public var observable: String
    public var sd: Double
    public init(observable: String, sd: Double) {
        self.observable = observable
        self.sd = sd
    }
}

/// The population prior of a twin: which parameters are individual, their distribution, and the error model.
public struct TwinPrior: Codable, Hashable, Sendable {
    /// The model: a built-in library name (the twin also stores the model's source, so it stays readable).
    public var model: String
    public var parameters: [IndividualParameter]
    public var errors: [ErrorModel]

    public init(model: String, parameters: [IndividualParameter], errors: [ErrorModel]) {
        self.model = model
        self.parameters = parameters
        self.errors = errors
    }

    public func errorSD(for observable: String) -> Double? { errors.first { $0.observable == observable }?.sd }

    /// The library entry's population variability as a prior (log-normal → log scale, normal → linear; uniform
    /// parameters are skipped since their prior is not informative in the Gaussian sense), with `errorSD` for each
    /// clinical observable.
    public static func fromLibrary(_ name: String, errorSD: Double = 0.5) throws -> TwinPrior {
        let entry = try ModelLibrary.entry(named: name)
        var parameters: [IndividualParameter] = []
        for v in entry.variability {
            guard let nominal = entry.parameters.first(where: { $0.id == v.parameter })?.value
                ?? entry.species.first(where: { $0.id == v.parameter })?.initialValue else { continue }
            switch v.distribution {
            case .lognormal:
                guard let cv = v.cv, cv > 0, nominal > 0 else { continue }
                parameters.append(IndividualParameter(id: v.parameter, scale: .log, mean: log(nominal), sd: log(1 + cv * cv).squareRoot()))
            case .normal:
                guard let sd = v.sd, sd > 0 else { continue }
                parameters.append(IndividualParameter(id: v.parameter, scale: .linear, mean: nominal, sd: sd))
            case .uniform:
                continue
            }
        }
        let errors = entry.observables.filter(\.isClinical).map { ErrorModel(observable: $0.id, sd: errorSD) }
        return TwinPrior(model: name, parameters: parameters, errors: errors)
    }
}
