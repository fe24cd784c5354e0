/// A rule to add to a chain, and where: the unit of `portcullis apply`'s atomic transaction.
public struct RuleInsertion: Sendable, Codable, Hashable {
    public enum Position: Sendable, Codable, Hashable, CustomStringConvertible {
        /// Immediately before the rule with this handle (NFTA_RULE_POSITION without NLM_F_APPEND).
        case before(handle: UInt64)
        /// At the end of the chain (NLM_F_APPEND).
        case end

        public var description: String {
            switch self {
            case .before(let h): "before handle \(h)"
            case .end: "at the end"
            }
        }
    }

    public var family: Family
    public var table: String
    public var chain: String
    public var position: Position
    /// The rule; its comment is stored as the rule's userdata comment.
    public var rule: Rule
    /// The rule in nft syntax, for people.
    public var rendered: String

    public init(family: Family, table: String, chain: String, position: Position, rule: Rule, rendered: String) {
        self.family = family
        self.table = table
        self.chain = chain
        self.position = position
        self.rule = rule
        self.rendered = rendered
    }
}

extension Ruleset {
    /// This ruleset with `insertion` applied the way the kernel would apply it (for simulation
    /// before anything is written). Returns nil when the table, chain or position does not exist.
    public func inserting(_ insertion: RuleInsertion) -> Ruleset? {
        var copy = self
        guard let ti = copy.tables.firstIndex(where: { $0.family == insertion.family && $0.name == insertion.table }),
              let ci = copy.tables[ti].chains.firstIndex(where: { $0.name == insertion.chain }) else { return nil }
        var rules = copy.tables[ti].chains[ci].rules
        switch insertion.position {
        case .end:
            rules.append(insertion.rule)
        case .before(let handle):
            guard let ri = rules.firstIndex(where: { $0.handle == handle }) else { return nil }
            rules.insert(insertion.rule, at: ri)
        }
        copy.tables[ti].chains[ci].rules = rules
        return copy
    }
}
