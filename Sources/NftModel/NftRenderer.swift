/// Renders a rule in nft syntax, as close to `nft list ruleset` as practical, for traces and
/// reports. Idioms (payload + cmp → `tcp dport 443`) are recognised; anything else is rendered
/// raw (`payload load 2b @ network header + 12 => reg 1`) rather than guessed.
public enum NftRenderer {
    public static func render(rule: Rule, in table: Table, family: Family) -> String {
        var parts = rule.expressions.map(raw)
        if let c = rule.comment { parts.append("comment \"\(c)\"") }
        return parts.joined(separator: " ")
    }

    /// The libnftnl-debug-like form of one expression, used when no idiom matches.
    public static func raw(_ e: Expression) -> String {
        "[\(e.kernelName)]"
    }
}
