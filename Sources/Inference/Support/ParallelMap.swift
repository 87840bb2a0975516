import Foundation

/// Runs independent tasks 0..<count on worker threads and returns their results in index order.
///
/// Tasks are handed out dynamically (load balancing), so when a task's result depends only on its index
/// (draw its randomness from `RandomStream(seed:index:purpose:)`, share nothing mutable) the output is the
/// same for any thread count.
///
/// ```swift
/// let squares = parallelMap(count: 4, threads: 2) { $0 * $0 }   // [0, 1, 4, 9]
/// ```
/// - Parameters:
///   - count: the number of tasks (≥ 0).
///   - threads: the most worker threads used; ≤ 1 runs everything on the calling thread.
///   - task: the work for one index; it must be safe to call concurrently for distinct indices.
/// - Returns: `[task(0), task(1), …, task(count − 1)]`.
public func parallelMap<T>(count: Int, threads: Int, _ task: (Int) -> T) -> [T] {
    var results = [T?](repeating: nil, count: count)
    let dispenser = IndexDispenser(count: count)
    results.withUnsafeMutableBufferPointer { buffer in
        let slots = UncheckedSlots(buffer.baseAddress)
        func worker(_: Int) {
            while let i = dispenser.next() { (slots.pointer! + i).pointee = task(i) }
        }
        let workers = max(1, min(threads, count))
        if workers == 1 {
            worker(0)
        } else {
            withoutActuallyEscaping(worker) { body in
                let box = UncheckedWorker(body)
                DispatchQueue.concurrentPerform(iterations: workers) { box.body($0) }
            }
        }
    }
    return results.map { $0! }
}

/// Hands out indices 0..<count to worker threads, each exactly once.
final class IndexDispenser: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private let count: Int

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }
}

/// A pointer handed to workers that write disjoint elements.
struct UncheckedSlots<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>?
    init(_ pointer: UnsafeMutablePointer<T>?) { self.pointer = pointer }
}

/// A worker body whose captures the caller has proven race-free (disjoint writes, read-only shared state).
struct UncheckedWorker: @unchecked Sendable {
    let body: (Int) -> Void
    init(_ body: @escaping (Int) -> Void) { self.body = body }
}
