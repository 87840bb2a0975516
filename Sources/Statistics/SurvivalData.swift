/// Right-censored times to event, sorted and grouped by distinct time — the common input of the survival methods.
struct SurvivalTable {
    /// One row per distinct observed time (event or censoring), ascending.
    struct Row {
        var time: Double
        var events = 0
        var censored = 0
    }
    var rows: [Row] = []

    /// Groups (time, event) pairs; the caller has checked the times.
    init(times: [Double], events: [Bool]) {
        let order = times.indices.sorted { times[$0] < times[$1] }
        for i in order {
            if rows.last?.time != times[i] { rows.append(Row(time: times[i])) }
            if events[i] { rows[rows.count - 1].events += 1 } else { rows[rows.count - 1].censored += 1 }
        }
    }

    /// Checks times (finite, ≥ 0, at least `needed`) and that `events` pairs with them.
    static func check(times: [Double], events: [Bool], method: String, timesName: String = "times",
                      eventsName: String = "events", atLeast needed: Int = 1) throws {
        try Check.times(times, method: method, argument: timesName, atLeast: needed)
        try Check.sameLength(times.count, events.count, method: method, first: timesName, second: eventsName)
    }
}
