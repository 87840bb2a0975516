import Foundation
import ModelFormats
import ModelIR
import ModelLibrary
import Simulation

/// The model a trial simulates: the user's model plus what the trial measures, added as model elements so
/// that the solver computes them to its tolerance:
/// - each derived observable as an assignment rule (`id := expression`);
/// - each time-to-event endpoint and each named event as a parameter `__tte_NAME` / `__event_NAME` set to
///   `time` by an event the first time its condition becomes true (located exactly by the event machinery);
/// - each AUC endpoint as a rate rule `__auc_NAME' = observable` from 0.
struct TrialModel {
    /// Value of an event-time parameter before its event fires (below any allowed follow-up start, and far
    /// inside the solver's blow-up threshold since the parameter is a state of the model).
    static let notYet = -1e9

    var model: Model
    /// The output requests, in column order.
    var outputs: [OutputRequest] = []
    /// Column of each named quantity (observable id or internal parameter).
    var column: [String: Int] = [:]
    private var expressions: [String: MathExpression] = [:]
    private let symbols: Set<String>

    /// Loads `spec.model` (a built-in name, or a file relative to `directory`) and adds the spec's observables.
    init(spec: TrialSpec, directory: URL?) throws {
        let source = spec.model
        let ext = URL(fileURLWithPath: source).pathExtension.lowercased()
        do {
            if ["xml", "sbml", "ant", "antimony"].contains(ext) {
                let url = source.hasPrefix("/") || directory == nil ? URL(fileURLWithPath: source) : directory!.appendingPathComponent(source)
                guard FileManager.default.fileExists(atPath: url.path) else {
                    throw spec.modelLocation.error("model file \(url.path) does not exist")
                }
                model = ext == "xml" || ext == "sbml" ? try SBMLReader.read(contentsOf: url) : try AntimonyReader.read(contentsOf: url)
            } else {
                model = try ModelLibrary.model(named: source)
                for o in try ModelLibrary.entry(named: source).observables {
                    expressions[o.id] = try ExpressionParser.parse(o.expression)
                }
            }
        } catch let error as TrialError {
            throw error
        } catch {
            throw spec.modelLocation.error("model '\(source)': \(error)")
        }
        var ids = Set(model.species.map(\.id) + model.parameters.map(\.id) + model.compartments.map(\.id) + model.reactions.map(\.id))
        for r in model.rules { if let v = r.variable { ids.insert(v) } }
        symbols = ids
        for o in spec.observables {
            guard !ids.contains(o.id) else { throw o.location.error("observable '\(o.id)' has the id of an element of the model") }
            expressions[o.id] = o.expression
        }
    }

    /// The output column of observable `id` (a model symbol or a derived observable), adding it if needed.
    /// - Throws: a `TrialError` at `location` when `id` is neither.
    mutating func observable(_ id: String, at location: SpecLocation) throws -> Int {
        if let c = column[id] { return c }
        if !symbols.contains(id) {
            guard let e = expressions[id] else {
                throw location.error("'\(id)' is not an observable or a symbol of the model")
            }
            model.parameters.append(Parameter(id: id, value: nil, constant: false))
            model.rules.append(.assignment(variable: id, math: e))
        }
        return addOutput(id)
    }

    /// The expression an observable stands for (its symbol when it is a model symbol).
    func expression(of id: String) -> MathExpression {
        symbols.contains(id) ? .symbol(id) : (expressions[id] ?? .symbol(id))
    }

    /// Adds a parameter recording the first time `observable` crosses `threshold` (after `after`).
    mutating func firstTime(named id: String, observable: String, threshold: Double, above: Bool, after: Double,
                            at location: SpecLocation) throws -> Int {
        _ = try self.observable(observable, at: location)
        let value = MathExpression.symbol(observable)
        var condition = MathExpression.binary(above ? .greater : .less, value, .number(threshold))
        condition = .binary(.and, condition, .binary(.less, .symbol(id), .number(Self.notYet / 10)))
        if after > -Double.greatestFiniteMagnitude {
            condition = .binary(.and, condition, .binary(.greaterEqual, .time, .number(after)))
        }
        model.parameters.append(Parameter(id: id, value: Self.notYet, constant: false))
        model.events.append(Event(id: id + "_trigger", trigger: condition, initialValue: true, persistent: true,
                                  assignments: [EventAssignment(variable: id, math: .time)]))
        return addOutput(id)
    }

    /// Adds the running integral of `observable` from the start.
    mutating func integral(named id: String, observable: String, at location: SpecLocation) throws -> Int {
        _ = try self.observable(observable, at: location)
        model.parameters.append(Parameter(id: id, value: 0, constant: false))
        model.rules.append(.rate(variable: id, math: .symbol(observable)))
        return addOutput(id)
    }

    private mutating func addOutput(_ id: String) -> Int {
        if let c = column[id] { return c }
        column[id] = outputs.count
        outputs.append(.value(id))
        return outputs.count - 1
    }
}
