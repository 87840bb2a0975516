import ModelIR

extension SBMLModelReader {
    /// Assignment, rate and algebraic rules in document order; rules without math are dropped.
    func rules(_ model: XMLNode) throws -> [Rule] {
        let lists = model.children("listOfRules", in: namespace)
        guard lists.count <= 1 else {
            throw SBMLError.syntax("<model> contains more than one <listOfRules>", at: lists[1], file: file)
        }
        guard let list = lists.first else { return [] }
        var rules: [Rule] = []
        for node in list.children where node.namespace == namespace {
            switch node.name {
            case "assignmentRule":
                let variable = try requiredSId(node, "variable")
                if let m = try mathChild(node) { rules.append(.assignment(variable: variable, math: m)) }
            case "rateRule":
                let variable = try requiredSId(node, "variable")
                if let m = try mathChild(node) { rules.append(.rate(variable: variable, math: m)) }
            case "algebraicRule":
                if let m = try mathChild(node) { rules.append(.algebraic(math: m)) }
            case "notes", "annotation":
                continue
            default:
                throw SBMLError.syntax("<\(node.name)> inside <listOfRules>; expected <assignmentRule>, <rateRule> or <algebraicRule>",
                                       at: node, file: file)
            }
        }
        return rules
    }

    /// An initial assignment, or nil when it has no math.
    func initialAssignment(_ node: XMLNode) throws -> InitialAssignment? {
        let symbol = try requiredSId(node, "symbol")
        return try mathChild(node).map { InitialAssignment(symbol: symbol, math: $0) }
    }

    /// A function definition, or nil when it has no math.
    func functionDefinition(_ node: XMLNode) throws -> FunctionDefinition? {
        let id = try id(node)
        guard let m = node.child("math", in: MathMLReader.namespace), let lambda = try math.lambda(inMath: m) else { return nil }
        return FunctionDefinition(id: id, arguments: lambda.arguments, body: lambda.body)
    }

    /// An event, or nil when it has no trigger math (such an event can never fire).
    func event(_ node: XMLNode) throws -> Event? {
        let id = try optionalId(node) ?? ""
        let assignments = try items(node, "listOfEventAssignments", "eventAssignment") { a -> EventAssignment? in
            let variable = try requiredSId(a, "variable")
            return try mathChild(a).map { EventAssignment(variable: variable, math: $0) }
        }
        guard let trigger = try single(node, "trigger"), let condition = try mathChild(trigger) else { return nil }
        return Event(id: id, name: node.attributes["name"], trigger: condition,
                     initialValue: try bool(trigger, "initialValue") ?? true,
                     persistent: try bool(trigger, "persistent") ?? true,
                     delay: try single(node, "delay").flatMap { try mathChild($0) },
                     priority: try single(node, "priority").flatMap { try mathChild($0) },
                     useValuesFromTriggerTime: try bool(node, "useValuesFromTriggerTime") ?? true,
                     assignments: assignments.compactMap { $0 })
    }

    /// The only child named `name`, nil when absent.
    private func single(_ node: XMLNode, _ name: String) throws -> XMLNode? {
        let found = node.children(name, in: namespace)
        guard found.count <= 1 else {
            throw SBMLError.syntax("\(SBMLError.describe(node)) has more than one <\(name)>", at: found[1], file: file)
        }
        return found.first
    }
}
