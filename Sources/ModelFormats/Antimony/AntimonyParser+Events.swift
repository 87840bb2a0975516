import ModelIR

extension AntimonyParser {
    /// `[id:] at [delay after] trigger [, option = value]...: x = expr, y = expr`
    ///
    /// Options: `priority = expr`, `t0 = true|false` (the trigger's value before the start),
    /// `persistent = true|false`, `fromTrigger = true|false` (compute assigned values when the event
    /// triggers rather than when it executes). Defaults as in libantimony: `t0 = true`, `persistent = true`,
    /// `fromTrigger = true`.
    mutating func parseEvent(id: String?) throws {
        advance()
        let first = expressionTokens(stopWords: ["after"], stopPunctuation: [",", ":", "="])
        var delay: MathExpression?
        var triggerRange = first
        if peek.isWord("after") {
            delay = try expression(first, "a delay before 'after'")
            advance()
            triggerRange = expressionTokens(stopPunctuation: [",", ":", "="])
        }
        var event = Event(id: id ?? "", trigger: try expression(triggerRange, "an event trigger"), delay: delay, assignments: [])
        while peek.isPunctuation(",") {
            advance()
            let option = try expectIdentifier("an event option (priority, t0, persistent or fromTrigger)")
            try expectPunctuation("=", "after event option '\(option.text)'")
            let range = expressionTokens(stopPunctuation: [",", ":", "="])
            switch option.text {
            case "priority": event.priority = try expression(range, "a priority")
            case "t0": event.initialValue = try flag(range, option)
            case "persistent": event.persistent = try flag(range, option)
            case "fromTrigger": event.useValuesFromTriggerTime = try flag(range, option)
            default:
                throw error("unknown event option '\(option.text)' (expected priority, t0, persistent or fromTrigger)",
                            at: option)
            }
        }
        try expectPunctuation(":", "after the event trigger")
        if !peek.endsStatement {
            repeat {
                if peek.isPunctuation(",") { advance() }
                let target = try expectIdentifier("a variable to assign")
                try expectPunctuation("=", "after '\(target.text)' in an event assignment")
                let math = try expression(expressionTokens(stopPunctuation: [","]), "a value for '\(target.text)'")
                event.assignments.append(EventAssignment(variable: target.text, math: math))
            } while peek.isPunctuation(",")
        }
        draft.addEvent(id: id, event)
    }

    /// A Boolean option value: `true` or `false` (or 1 / 0).
    private func flag(_ range: Range<Int>, _ option: AntimonyToken) throws -> Bool {
        switch try expression(range, "true or false for '\(option.text)'") {
        case .number(1): return true
        case .number(0): return false
        default: throw error("event option '\(option.text)' must be true or false", at: tokens[range.lowerBound])
        }
    }
}
