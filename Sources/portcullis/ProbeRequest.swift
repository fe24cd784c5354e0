import FoundationEssentials
import Glibc
import JSONText
import TLSProbe

/// What `portcullis probe` was asked to do, as plain values: built by `ProbeCommand` (the
/// ArgumentParser definition, which owns `--help` and every usage message) or by
/// `init?(quickParsing:)`, and run by `run()` either way.
struct ProbeRequest: Equatable {
    enum OutputFormat: String, CaseIterable { case text, json }

    /// Defaults of the options, used by both parsers.
    enum Defaults {
        static let timeout = 5.0
        static let delay = 0.0
        static let concurrency = 8
        static let deadline = 60.0
        static let format = OutputFormat.text
    }

    var targets: [String]
    var sni: String?
    var caFile: String?
    var timeout = Defaults.timeout
    var delay = Defaults.delay
    var concurrency = Defaults.concurrency
    var deadline = Defaults.deadline
    var format = Defaults.format

    /// The reason a request is unusable (exit 2), or nil.
    func usageProblem() -> String? {
        guard !targets.isEmpty else { return "missing HOST:PORT" }
        for target in targets where Endpoint.parse(target) == nil {
            return "invalid target '\(target)': expected HOST:PORT or [IPv6]:PORT"
        }
        guard timeout > 0, timeout <= 300 else { return "--timeout must be in (0, 300] seconds" }
        guard delay >= 0, delay <= 60 else { return "--delay must be in [0, 60] seconds" }
        guard (1...64).contains(concurrency) else { return "--concurrency must be in 1...64" }
        guard deadline > 0 else { return "--deadline must be positive" }
        return nil
    }

    /// Probes the targets and prints the results; throws the documented exit code otherwise
    /// (2: unusable CA file, 5: an endpoint unreachable). Call after `usageProblem()` is nil.
    func run() async throws(ProbeRunFailure) {
        if let advice = LinkedOpenSSL.rebuildAdvice() { Diagnostics.warning(advice) }
        let endpoints = targets.map { Endpoint.parse($0, sni: sni)! }
        // A missing or empty CA file is refused before any connection. Decoding its
        // certificates waits for libssl's start-up (a few ms on another core), so it runs while
        // the probes start; a damaged file still ends the command with exit 2 and no result.
        if let caFile {
            do { try CAFile.precheck(path: caFile) } catch {
                Diagnostics.error(error.description)
                throw .usage
            }
        }
        let prober = TLSProber(options: ProbeOptions(timeout: timeout, delay: delay, concurrency: concurrency,
                                                     deadline: deadline, caFile: caFile))
        let probing = Task {
            await withTaskGroup(of: (Int, ProbeResult).self) { group in
                for (i, endpoint) in endpoints.enumerated() {
                    group.addTask { (i, await prober.probe(endpoint)) }
                }
                var collected = [ProbeResult?](repeating: nil, count: endpoints.count)
                for await (i, result) in group { collected[i] = result }
                return collected.map { $0! }
            }
        }
        if let caFile, case .failure(let error) = await CAFile.validatedInBackground(path: caFile) {
            probing.cancel()
            Diagnostics.error(error.description)
            throw .usage
        }
        let results = await probing.value
        switch format {
        case .json:
            let document: JSONValue = results.count == 1 ? results[0].json : .array(results.map(\.json))
            StandardStreams.out(document.serialized())
        case .text:
            StandardStreams.out(results.map(ProbeTextRenderer.render).joined(separator: "\n"))
        }
        let unreachable = zip(endpoints, results).filter { !$0.1.reachable }.map(\.0)
        for endpoint in unreachable {
            Diagnostics.error("\(endpoint.display) unreachable")
        }
        if !unreachable.isEmpty { throw .unreachable }
    }
}

/// How `ProbeRequest.run()` ends when it does not answer cleanly; each maps to a `PortcullisExit`.
enum ProbeRunFailure: Error {
    case usage, unreachable
}

extension ProbeRequest {
    /// Parses the arguments after `probe` when they use only the plain forms — targets, and the
    /// long options with their value as the next argument or after `=` — each option at most
    /// once; nil for anything else (`--help`, `--`, short or unknown options, a repeated option,
    /// an empty value, a value that does not convert), which ArgumentParser then parses and explains.
    ///
    /// Why a second parser: ArgumentParser builds its definitions by reflection, and in this
    /// binary (with Foundation linked in, about 7,000 protocol conformance records to search)
    /// that took 5–10 ms of a 30 ms probe. A test checks this parser against `ProbeCommand` on
    /// a corpus of command lines, so the two cannot drift apart.
    init?(quickParsing arguments: some Collection<String>) {
        self.init(targets: [])
        // An array, not a Set: seven names at most, and the first `Set<String>` of the process
        // costs a runtime conformance lookup on the way to the first connection.
        var seen: [Substring] = []
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard argument.hasPrefix("-") else {
                targets.append(argument)
                continue
            }
            guard argument.hasPrefix("--"), argument.count > 2 else { return nil }
            let name: Substring, value: String
            if let equals = argument.firstIndex(of: "=") {
                name = argument[argument.index(argument.startIndex, offsetBy: 2)..<equals]
                value = String(argument[argument.index(after: equals)...])
                guard !value.isEmpty else { return nil }
            } else {
                name = argument.dropFirst(2)
                guard let next = iterator.next(), !next.hasPrefix("-") else { return nil }
                value = next
            }
            guard !seen.contains(name) else { return nil }
            seen.append(name)
            switch name {
            case "sni": sni = value
            case "ca-file": caFile = value
            case "timeout": guard let v = Double(value) else { return nil }; timeout = v
            case "delay": guard let v = Double(value) else { return nil }; delay = v
            case "concurrency": guard let v = Int(value) else { return nil }; concurrency = v
            case "deadline": guard let v = Double(value) else { return nil }; deadline = v
            case "format": guard let v = OutputFormat(rawValue: value) else { return nil }; format = v
            default: return nil
            }
        }
        if targets.isEmpty { return nil }
    }
}
