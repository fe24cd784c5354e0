import NftModel

/// A compact textual form of a rule for traces, used until an nft-syntax renderer is plugged in
/// through `FirewallEvaluator.ruleRenderer`.
enum RuleText {
    @Sendable static func render(_ rule: Rule, _ chain: Chain, _ table: Table) -> String {
        var parts = rule.expressions.map { e -> String in
            switch e {
            case .immediate(let i) where i.dreg == .verdict: return i.verdict?.description ?? "verdict"
            case .match(let m): return "xt match \(m.name)"
            case .target(let t): return "xt target \(t.name)"
            case .lookup(let l): return "lookup @\(l.setName)\(l.inverted ? " (inverted)" : "")"
            default: return e.kernelName
            }
        }
        if let c = rule.comment { parts.append("comment \"\(c)\"") }
        return parts.joined(separator: " ")
    }
}
