import Diagnostics

/// The steps and the edges between them: data edges from `from:` and `join.with`, order edges from `after:`.
public struct StepGraph: Sendable {
    public enum EdgeKind: String, Sendable {
        case data
        case order
    }

    /// `from` must finish before `to`; `range` is where `to` names `from`.
    public struct Edge: Sendable {
        public var from: StepID
        public var to: StepID
        public var kind: EdgeKind
        public var range: SourceRange
        /// `from` and `to` as positions in the playbook's steps.
        let fromPosition: Int
        let toPosition: Int
    }

    public let steps: [StepID]
    public let edges: [Edge]
    /// Steps in an order where every step comes after the steps it depends on; nil when there is a cycle.
    public var order: [StepID]? { orderByPosition.map { $0.map { steps[$0] } } }
    /// For each step, the length of the longest chain of dependencies before it (0 for sources).
    public var levels: [StepID: Int] {
        Dictionary(zip(steps, levelsByPosition), uniquingKeysWith: { first, _ in first })
    }
    /// `order` as positions in `steps`.
    let orderByPosition: [Int]?
    /// `levels` by position in `steps`.
    let levelsByPosition: [Int]
    /// The positions of the steps each step's `from:` names, in order, -1 for a step that does not
    /// exist: step `i`'s are `inputPositions[inputStarts[i]..<inputStarts[i + 1]]`. Step names are
    /// looked up here once, for every pass after.
    private let inputPositions: [Int]
    private let inputStarts: [Int]
    /// `from:` and `join.with` references naming a step that does not exist.
    let unresolvedDataReferences: [StepReference]

    init(playbook: Playbook) {
        // Steps are numbered by their position; the graph is worked out on numbers, not names.
        let position = playbook.stepPositions
        var edges: [Edge] = []
        var inputPositions: [Int] = []
        var inputStarts: [Int] = [0]
        var unresolved: [StepReference] = []
        inputStarts.reserveCapacity(playbook.steps.count + 1)
        @discardableResult
        func add(_ reference: StepReference, _ to: Int, _ kind: EdgeKind) -> Int {
            guard let source = position[reference.step] else {
                if kind == .data { unresolved.append(reference) }
                return -1
            }
            edges.append(Edge(
                from: reference.step, to: playbook.steps[to].id.value, kind: kind, range: reference.range,
                fromPosition: source, toPosition: to
            ))
            return source
        }
        for (index, step) in playbook.steps.enumerated() {
            for input in step.inputs { inputPositions.append(add(input, index, .data)) }
            inputStarts.append(inputPositions.count)
            if case .transform(let transform) = step.kind, let join = transform.join { add(join.with, index, .data) }
            for dependency in step.after { add(dependency, index, .order) }
        }
        self.inputPositions = inputPositions
        self.inputStarts = inputStarts
        self.unresolvedDataReferences = unresolved
        self.steps = playbook.steps.map(\.id.value)
        self.edges = edges
        (self.orderByPosition, self.levelsByPosition) = Self.topologicalOrder(stepCount: steps.count, edges: edges)
    }

    /// The positions of the steps that step `position` reads with `from:`, in order; -1 for a name
    /// that is not a step.
    func inputPositions(of position: Int) -> ArraySlice<Int> {
        inputPositions[inputStarts[position]..<inputStarts[position + 1]]
    }

    public func incoming(_ step: StepID) -> [Edge] { edges.filter { $0.to == step } }
    public func outgoing(_ step: StepID) -> [Edge] { edges.filter { $0.from == step } }

    /// Kahn's algorithm, taking ready steps in file order so the result is deterministic. Returns the
    /// order (nil when there is a cycle) and each step's level, by position.
    private static func topologicalOrder(stepCount: Int, edges: [Edge]) -> ([Int]?, [Int]) {
        var indegree = [Int](repeating: 0, count: stepCount)
        var successorCount = [Int](repeating: 0, count: stepCount + 1)
        for edge in edges {
            indegree[edge.toPosition] += 1
            successorCount[edge.fromPosition + 1] += 1
        }
        // Successors in one array, each step's in a contiguous run (in edge order).
        for index in 0..<stepCount { successorCount[index + 1] += successorCount[index] }
        var fill = successorCount
        var successors = [Int](repeating: 0, count: edges.count)
        for edge in edges {
            successors[fill[edge.fromPosition]] = edge.toPosition
            fill[edge.fromPosition] += 1
        }
        var levels = [Int](repeating: 0, count: stepCount)
        var queue = (0..<stepCount).filter { indegree[$0] == 0 }
        var head = 0
        while head < queue.count {
            let step = queue[head]
            head += 1
            for next in successors[successorCount[step]..<successorCount[step + 1]] {
                levels[next] = max(levels[next], levels[step] + 1)
                indegree[next] -= 1
                if indegree[next] == 0 { queue.append(next) }
            }
        }
        return (queue.count == stepCount ? queue : nil, levels)
    }

    /// Every distinct cycle, each as its edges in order, found by depth-first search.
    func cycles() -> [[Edge]] {
        var result: [[Edge]] = []
        var reported = Set<Set<StepID>>()
        var state: [StepID: Int] = [:]  // 1 = on the current path, 2 = finished
        var path: [Edge] = []
        var outgoingByStep: [StepID: [Edge]] = [:]
        for edge in edges { outgoingByStep[edge.from, default: []].append(edge) }

        func visit(_ step: StepID) {
            state[step] = 1
            for edge in outgoingByStep[step] ?? [] {
                if state[edge.to] == 1 {
                    // The cycle is the part of the path from `edge.to` back to here, closed by `edge`.
                    let start = path.firstIndex { $0.from == edge.to } ?? path.count
                    let cycle = Array(path[start...]) + [edge]
                    let members = Set(cycle.map(\.from))
                    if reported.insert(members).inserted { result.append(cycle) }
                } else if state[edge.to] == nil {
                    path.append(edge)
                    visit(edge.to)
                    path.removeLast()
                }
            }
            state[step] = 2
        }
        for step in steps where state[step] == nil { visit(step) }
        return result
    }
}
