import ArgumentParser
import FoundationEssentials
import Glibc
import Policy
import Reports
import Audit
import TLSProbe

/// `portcullis audit`: the main job — firewall, listeners, every endpoint probed, the policy
/// evaluated, reports written, and an exit status CI can act on.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit this host (or a network namespace) against a policy: firewall, listeners, TLS, HTTP.",
        discussion: """
        Reads the nftables ruleset, lists the listening sockets with their firewall exposure, probes \
        every TCP listener (exposed or not) and the extra targets, evaluates the policy (built-in \
        `default` unless --policy says otherwise) and reports findings with evidence and remediation.

        Formats: text (for people; colour only on a terminal), json (schemaVersion 1, \
        schemas/audit-report.schema.json), sarif (2.1.0, GitHub code scanning), junit, prometheus \
        (node_exporter textfile collector). --format picks what goes to stdout; --output FORMAT=PATH \
        (repeatable) also writes files, atomically. When a machine format goes to stdout, stdout \
        carries only that format; the human summary and warnings go to stderr.

        Exit status:
          0  no finding at or above --fail-on (default: high), every check ran
          1  findings at or above --fail-on (takes precedence over 3)
          2  usage error or malformed policy (FILE:LINE:COLUMN: what was expected)
          3  audit incomplete: some check could not run (its reason is in the report)
          4  --netns without root
          6  a report file could not be written

        With --netns NAME the audit re-executes itself inside /run/netns/NAME (`ip netns exec`), so \
        the ruleset, the listeners and the probe connections are all that namespace's; it needs root.
        """
    )

    @Option(name: .customLong("policy"), help: "Built-in policy name (see `portcullis policy list`) or a policy YAML file.")
    var policy: String = "default"

    @Option(name: .customLong("fail-on"), help: "Lowest severity that fails the audit: info, low, medium, high, critical.")
    var failOn: String = "high"

    @Option(help: "What to print on stdout: text, json, sarif, junit or prometheus.")
    var format: String = "text"

    @Option(name: .customLong("output"), help: ArgumentHelp("Also write FORMAT to PATH (e.g. json=report.json); repeatable.", valueName: "FORMAT=PATH"))
    var outputs: [String] = []

    @Option(name: .customLong("target"), help: ArgumentHelp("Extra endpoint to probe: HOST:PORT[,sni=NAME]; repeatable.", valueName: "HOST:PORT[,sni=NAME]"))
    var targets: [String] = []

    @Option(help: "Server name to send to the discovered listeners and to check their certificates against.")
    var sni: String?

    @Option(help: "Audit the network namespace NAME (/run/netns/NAME). Needs root.")
    var netns: String?

    @Option(name: .customLong("ruleset-file"), help: "Evaluate this ruleset instead of the live one: a `portcullis ruleset dump` file, or an nft script (*.nft).")
    var rulesetFile: String?

    @Option(name: .customLong("port"), help: "Port the firewall is asked about (besides those the policy names); repeatable.")
    var ports: [UInt16] = []

    @Option(name: .customLong("ca-file"), help: "Extra trust anchors (PEM) for certificate validation.")
    var caFile: String?

    @Option(help: "Per-connection timeout, seconds.")
    var timeout: Double = 3

    @Option(help: "Endpoints probed at once.")
    var concurrency: Int = 32

    @Flag(name: .customLong("no-probe-listeners"), help: "Probe only the --target endpoints and the policy's targets.")
    var noProbeListeners = false

    @Option(help: "Colour in text output: auto (only on a terminal), always, never.")
    var color: String = "auto"

    @Flag(name: .shortAndLong, help: "Text output lists every rule and result, not only problems.")
    var verbose = false

    enum Format: String, CaseIterable { case text, json, sarif, junit, prometheus }

    func usage(_ message: String) -> ExitCode {
        Diagnostics.error("\(message)")
        return PortcullisExit.usage
    }

    func validate() throws {
        guard Severity(rawValue: failOn) != nil else { throw usage("--fail-on must be one of info, low, medium, high, critical (got '\(failOn)')") }
        guard Format(rawValue: format) != nil else { throw usage("--format must be one of text, json, sarif, junit, prometheus (got '\(format)')") }
        for o in outputs { _ = try parseOutput(o) }
        for t in targets { _ = try parseTarget(t) }
        guard timeout > 0, timeout <= 300 else { throw usage("--timeout must be in (0, 300] seconds") }
        guard (1...256).contains(concurrency) else { throw usage("--concurrency must be in 1...256") }
        guard ["auto", "always", "never"].contains(color) else { throw usage("--color must be auto, always or never") }
        if netns != nil && rulesetFile != nil { throw usage("use only one of --netns and --ruleset-file") }
        if let rulesetFile, !FileManager.default.isReadableFile(atPath: rulesetFile) {
            throw usage("--ruleset-file \(rulesetFile): no such readable file")
        }
    }

    func parseOutput(_ text: String) throws -> (Format, String) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let f = Format(rawValue: parts[0]), !parts[1].isEmpty else {
            throw usage("--output '\(text)': expected FORMAT=PATH with FORMAT one of text, json, sarif, junit, prometheus")
        }
        return (f, parts[1])
    }

    func parseTarget(_ text: String) throws -> AuditTarget {
        var pieces = text.split(separator: ",").map(String.init)
        guard !pieces.isEmpty else { throw usage("--target '\(text)': expected HOST:PORT[,sni=NAME]") }
        let address = pieces.removeFirst()
        var sni: String?
        for p in pieces {
            guard p.hasPrefix("sni="), p.count > 4 else { throw usage("--target '\(text)': unknown option '\(p)' (expected sni=NAME)") }
            sni = String(p.dropFirst(4))
        }
        guard let t = AuditTarget(parsing: address, sni: sni) else {
            throw usage("--target '\(text)': expected HOST:PORT or [IPv6]:PORT")
        }
        return t
    }

    func run() async throws {
        if let netns, ProcessInfo.processInfo.environment["PORTCULLIS_AUDIT_NETNS"] == nil {
            throw NamespaceReexec.run(netns: netns)
        }
        if let advice = LinkedOpenSSL.rebuildAdvice() { Diagnostics.warning(advice) }
        let loaded: ResolvedPolicy
        do {
            loaded = try PolicyFiles.loader.load(policy)
        } catch {
            Diagnostics.error("policy error: \(error.description)")
            throw PortcullisExit.usage
        }
        let probe = ProbeOptions(timeout: timeout, concurrency: max(8, concurrency * 4), retries: 1, deadline: max(10, timeout * 10), caFile: caFile)
        let options = AuditOptions(rulesetFile: rulesetFile, ports: ports.isEmpty ? [443] : ports, targets: try targets.map(parseTarget),
                                   serverName: sni, probeListeners: !noProbeListeners, endpointConcurrency: concurrency,
                                   probe: probe, failOn: Severity(rawValue: failOn)!)
        let report = await AuditRunner(options: options, toolVersion: Portcullis.toolVersion).run(policy: loaded)

        let stdoutFormat = Format(rawValue: format)!
        let tty = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let useColor = color == "always" || (color == "auto" && tty)
        StandardStreams.out(render(report, stdoutFormat, color: useColor))
        if stdoutFormat != .text {
            StandardStreams.err(TextReportRenderer(color: false).summaryLines(report))
        }
        for o in outputs {
            let (f, path) = try parseOutput(o)
            do {
                try AtomicFileWriter.write(render(report, f, color: false), to: path)
            } catch {
                Diagnostics.error("\(error.description)")
                throw PortcullisExit.ioFailure
            }
        }
        switch report.outcome {
        case .pass: return
        case .fail: throw PortcullisExit.findings
        case .incomplete: throw PortcullisExit.incomplete
        }
    }

    func render(_ r: AuditReport, _ f: Format, color: Bool) -> String {
        switch f {
        case .text: TextReportRenderer(color: color, verbose: verbose).render(r)
        case .json: JSONReportRenderer.render(r)
        case .sarif: SARIFRenderer.render(r)
        case .junit: JUnitRenderer.render(r)
        case .prometheus: PrometheusRenderer.render(r)
        }
    }
}

/// Runs this same audit again inside a network namespace (`ip netns exec NAME`), so that every
/// socket — netlink reads and probe connections alike — belongs to that namespace. The TLS probe
/// opens its connections on threads of its own, which a per-thread `setns` cannot reach.
enum NamespaceReexec {
    static func run(netns: String) -> ExitCode {
        guard FileManager.default.fileExists(atPath: "/run/netns/\(netns)") || netns.contains("/") else {
            Diagnostics.error("network namespace '\(netns)' not found (looked for /run/netns/\(netns))")
            return PortcullisExit.usage
        }
        guard geteuid() == 0 else {
            Diagnostics.error("--netns needs root (entering a network namespace needs CAP_SYS_ADMIN)")
            return PortcullisExit.privilege
        }
        var args = Array(CommandLine.arguments.dropFirst())
        if let i = args.firstIndex(of: "--netns"), i + 1 < args.count { args.removeSubrange(i...(i + 1)) }
        args.removeAll { $0.hasPrefix("--netns=") }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let argv = ["ip", "netns", "exec", netns, exe] + args
        var env = ProcessInfo.processInfo.environment
        env["PORTCULLIS_AUDIT_NETNS"] = netns
        let envStrings = env.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnv: [UnsafeMutablePointer<CChar>?] = envStrings.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) }; cEnv.forEach { free($0) } }
        let rc = posix_spawnp(&pid, "ip", nil, nil, &cArgs, &cEnv)
        guard rc == 0 else {
            Diagnostics.error("cannot run `ip netns exec`: \(String(cString: strerror(rc)))")
            return PortcullisExit.privilege
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if status & 0x7f != 0 { return ExitCode(128 + (status & 0x7f)) }
        return ExitCode((status >> 8) & 0xff)
    }
}
