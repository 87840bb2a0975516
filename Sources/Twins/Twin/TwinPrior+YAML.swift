import Foundation
import Yams

extension TwinPrior {
    /// Reads a prior spec:
    /// ```yaml
    /// model: baccam2006            # a built-in model
    /// parameters:                  # optional: defaults to the library's population variability
    ///   - {id: beta, distribution: lognormal, median: 3.2e-5, cv: 0.5}
    ///   - {id: tzero, distribution: normal, mean: 0, sd: 2}
    /// errors:                      # additive measurement SD per observable, on the observable's scale
    ///   log10_titre: 0.5
    /// ```
    /// Unknown keys, missing values and impossible ones (cv ≤ 0, sd ≤ 0, median ≤ 0) are errors naming the line.
    public static func read(yaml: String, file: String = "<prior>") throws -> TwinPrior {
        func fail(_ node: Node?, _ message: String) -> TwinError {
            .invalidPrior("\(file):\(node?.mark?.line ?? 0): \(message)")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else { throw fail(nil, "empty prior file") }
            root = node
        } catch let e as TwinError { throw e } catch { throw fail(nil, "not valid YAML: \(error)") }
        guard let top = root.mapping else { throw fail(root, "expected a mapping") }
        for (k, _) in top where !["model", "parameters", "errors"].contains(k.string ?? "") {
            throw fail(k, "unknown key '\(k.string ?? "?")'; expected model, parameters, errors")
        }
        guard let model = top["model"]?.string, !model.isEmpty else { throw fail(root, "'model' (a built-in model name) is required") }
        var prior: TwinPrior
        do { prior = try TwinPrior.fromLibrary(model) } catch { throw fail(top["model"], "\(error)") }
        func number(_ m: Node.Mapping, _ key: String, _ owner: Node) throws -> Double {
            guard let node = m[key] else { throw fail(owner, "missing '\(key)'") }
            guard let s = node.string, let v = Double(s), v.isFinite else { throw fail(node, "'\(key)' must be a finite number") }
            return v
        }
        if let list = top["parameters"] {
            guard let seq = list.sequence, !seq.isEmpty else { throw fail(list, "'parameters' must be a non-empty list") }
            prior.parameters = try seq.map { item in
                guard let m = item.mapping else { throw fail(item, "each parameter must be a mapping") }
                guard let id = m["id"]?.string else { throw fail(item, "parameter without 'id'") }
                switch m["distribution"]?.string {
                case "lognormal":
                    for (k, _) in m where !["id", "distribution", "median", "cv"].contains(k.string ?? "") { throw fail(k, "unknown key '\(k.string ?? "?")' for a lognormal") }
                    let median = try number(m, "median", item), cv = try number(m, "cv", item)
                    guard median > 0 else { throw fail(m["median"], "\(id): median must be positive") }
                    guard cv > 0 else { throw fail(m["cv"], "\(id): cv must be positive") }
                    return IndividualParameter(id: id, scale: .log, mean: log(median), sd: log(1 + cv * cv).squareRoot())
                case "normal":
                    for (k, _) in m where !["id", "distribution", "mean", "sd"].contains(k.string ?? "") { throw fail(k, "unknown key '\(k.string ?? "?")' for a normal") }
                    let mean = try number(m, "mean", item), sd = try number(m, "sd", item)
                    guard sd > 0 else { throw fail(m["sd"], "\(id): sd must be positive") }
                    return IndividualParameter(id: id, scale: .linear, mean: mean, sd: sd)
                default:
                    throw fail(m["distribution"] ?? item, "\(id): distribution must be lognormal or normal")
                }
            }
            let ids = prior.parameters.map(\.id)
            if Set(ids).count != ids.count { throw fail(list, "a parameter is listed twice") }
        }
        if let errors = top["errors"] {
            guard let m = errors.mapping else { throw fail(errors, "'errors' must map observables to SDs") }
            prior.errors = try m.map { k, v in
                guard let s = v.string, let sd = Double(s), sd > 0, sd.isFinite else { throw fail(v, "error SD of \(k.string ?? "?") must be positive") }
                return ErrorModel(observable: k.string ?? "", sd: sd)
            }
        }
        _ = try PatientModel(prior: prior)   // checks ids against the model
        return prior
    }
}
