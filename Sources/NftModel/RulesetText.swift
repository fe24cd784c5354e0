/// The whole ruleset in nft's `list ruleset` layout (tables, sets, chains, rules with
/// `# handle N`), rendered from the model — what Portcullis believes the kernel holds.
public enum RulesetText {
    public static func render(_ ruleset: Ruleset) -> String {
        var out = ""
        for t in ruleset.tables {
            out += "table \(t.family) \(t.name) {"
            out += t.comment.map { " # comment \"\($0)\"" } ?? ""
            out += "\n"
            if t.dormant { out += "\tflags dormant\n" }
            for s in t.sets where !s.isAnonymous {
                out += "\t\(s.isMap ? "map" : "set") \(s.name) { # handle \(s.handle)\n"
                var flags: [String] = []
                if s.flags.contains(.constant) { flags.append("constant") }
                if s.flags.contains(.interval) { flags.append("interval") }
                if s.flags.contains(.timeout) { flags.append("timeout") }
                if s.flags.contains(.eval) { flags.append("dynamic") }
                out += "\t\t# key type \(s.keyType), \(s.keyLength) bytes" + (s.fieldLengths.count > 1 ? ", fields \(s.fieldLengths)" : "")
                out += s.dataType.map { ", data type \($0 == NftSet.verdictDataType ? "verdict" : String($0))" } ?? ""
                out += "\n"
                if !flags.isEmpty { out += "\t\tflags \(flags.joined(separator: ","))\n" }
                if !s.elements.isEmpty { out += "\t\telements = \(NftRenderer.elementsText(of: s, in: t))\n" }
                out += "\t}\n"
            }
            for c in t.chains {
                out += "\tchain \(c.name) { # handle \(c.handle)\n"
                if let h = c.hook {
                    var line = "\t\ttype \(c.type?.rawValue ?? "?") hook \(h.rawValue)"
                    if c.devices.count == 1 { line += " device \"\(c.devices[0])\"" }
                    else if c.devices.count > 1 { line += " devices = { \(c.devices.joined(separator: ", ")) }" }
                    line += " priority \(c.priority ?? 0); policy \(c.policy?.description ?? "accept");"
                    out += line + "\n"
                }
                if let comment = c.comment { out += "\t\tcomment \"\(comment)\"\n" }
                for r in c.rules {
                    out += "\t\t\(NftRenderer.render(rule: r, in: t, family: t.family)) # handle \(r.handle)\n"
                }
                out += "\t}\n"
            }
            out += "}\n"
        }
        if !ruleset.legacyIptablesTables.isEmpty {
            out += "# iptables-legacy tables (invisible to nf_tables): \(ruleset.legacyIptablesTables.joined(separator: ", "))\n"
        }
        return out
    }
}
