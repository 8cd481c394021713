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
    }

    public let steps: [StepID]
    public let edges: [Edge]
    /// Steps in an order where every step comes after the steps it depends on; nil when there is a cycle.
    public let order: [StepID]?
    /// For each step, the length of the longest chain of dependencies before it (0 for sources).
    public let levels: [StepID: Int]

    init(playbook: Playbook) {
        let known = Set(playbook.steps.map(\.id.value))
        var edges: [Edge] = []
        for step in playbook.steps {
            for input in step.inputs where known.contains(input.step) {
                edges.append(Edge(from: input.step, to: step.id.value, kind: .data, range: input.range))
            }
            if case .transform(let transform) = step.kind, let join = transform.join, known.contains(join.with.step) {
                edges.append(Edge(from: join.with.step, to: step.id.value, kind: .data, range: join.with.range))
            }
            for dependency in step.after where known.contains(dependency.step) {
                edges.append(Edge(from: dependency.step, to: step.id.value, kind: .order, range: dependency.range))
            }
        }
        self.steps = playbook.steps.map(\.id.value)
        self.edges = edges
        (self.order, self.levels) = Self.topologicalOrder(steps: steps, edges: edges)
    }

    public func incoming(_ step: StepID) -> [Edge] { edges.filter { $0.to == step } }
    public func outgoing(_ step: StepID) -> [Edge] { edges.filter { $0.from == step } }

    /// Kahn's algorithm, taking ready steps in file order so the result is deterministic.
    private static func topologicalOrder(steps: [StepID], edges: [Edge]) -> ([StepID]?, [StepID: Int]) {
        var indegree = Dictionary(uniqueKeysWithValues: steps.map { ($0, 0) })
        var successors: [StepID: [StepID]] = [:]
        for edge in edges {
            indegree[edge.to, default: 0] += 1
            successors[edge.from, default: []].append(edge.to)
        }
        var levels = Dictionary(uniqueKeysWithValues: steps.map { ($0, 0) })
        var ready = steps.filter { indegree[$0] == 0 }
        var order: [StepID] = []
        while !ready.isEmpty {
            let step = ready.removeFirst()
            order.append(step)
            for next in successors[step] ?? [] {
                levels[next] = max(levels[next] ?? 0, (levels[step] ?? 0) + 1)
                indegree[next]! -= 1
                if indegree[next] == 0 { ready.append(next) }
            }
        }
        return order.count == steps.count ? (order, levels) : (nil, levels)
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
