/// The output rows of one batched lane while it runs: raw copies of its run's output times and recorded rows,
/// so that recording a row costs no copy-on-write checks. `RunState` takes the rows back (`store(into:)`)
/// when the lane leaves the batch (finished, or handed to the scalar path). Slots own their buffers, which
/// grow as needed and move with a lane between slots (`swap`).
struct LaneRows {
    private(set) var times: UnsafeMutablePointer<Double>
    private(set) var rows: UnsafeMutablePointer<Double>
    private var timeCapacity = 0, rowCapacity = 0
    /// Output times of the run, values per row.
    private(set) var count = 0, columns = 0
    /// The first row not recorded yet.
    private(set) var next = 0
    /// The first output time not recorded yet; +infinity when every row is.
    private(set) var pendingTime = Double.infinity

    init() {
        times = .allocate(capacity: 1)
        rows = .allocate(capacity: 1)
    }

    func deallocate() {
        times.deallocate()
        rows.deallocate()
    }

    /// Takes `run`'s output times and the rows it has recorded so far.
    mutating func load(_ run: RunState) {
        count = run.times.count
        columns = run.columns
        if count > timeCapacity {
            times.deallocate()
            timeCapacity = count
            times = .allocate(capacity: count)
        }
        if count * columns > rowCapacity {
            rows.deallocate()
            rowCapacity = count * columns
            rows = .allocate(capacity: rowCapacity)
        }
        run.times.withUnsafeBufferPointer { if count > 0 { times.update(from: $0.baseAddress!, count: count) } }
        next = run.nextOutput
        run.withRows { if next * columns > 0 { rows.update(from: $0.baseAddress!, count: next * columns) } }
        updatePending()
    }

    /// Gives `run` the rows recorded since `load`.
    func store(into run: inout RunState) {
        run.restoreRows(UnsafePointer(rows), next: next)
    }

    @inline(__always)
    private mutating func updatePending() {
        pendingTime = next < count ? times[next] : .infinity
    }

    /// Stores `output`'s results, computed in `registers`, as the next row.
    @inline(__always)
    mutating func record(_ output: RawProgram, _ registers: UnsafePointer<Double>) {
        let row = rows + next * columns
        for c in 0..<columns { row[c] = registers[Int(output.results[c])] }
        next += 1
        updatePending()
    }

    /// Stores the outputs `direct` (one per column, `DirectOutput.plan`) evaluated on `registers` as the next row.
    @inline(__always)
    mutating func record(_ direct: UnsafePointer<DirectOutput>, _ registers: UnsafePointer<Double>) {
        let row = rows + next * columns
        for c in 0..<columns { row[c] = direct[c].value(registers) }
        next += 1
        updatePending()
    }
}
