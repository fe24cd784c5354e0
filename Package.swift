// swift-tools-version: 6.1
import PackageDescription

/// Portcullis: a pure core (ruleset model, evaluator, TLS wire format, policy, reports) kept apart
/// from the real I/O adapters (netlink, sockets, OpenSSL). C shims live only in the `C*` targets.
let package = Package(
    name: "Portcullis",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "portcullis", targets: ["portcullis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // MARK: C interop (thin; nothing but headers and macro replacements)
        .systemLibrary(name: "CNetfilter", path: "Sources/CNetfilter", pkgConfig: "libnftnl"),
        /// OpenSSL's headers; the libraries are linked by `COpenSSLShim`.
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL"),
        /// libssl and libcrypto come from Debian's static archives (libssl-dev), not the shared
        /// libraries: loading and symbol-binding libcrypto.so cost about 3 ms of CPU before
        /// `main` on every run, an eighth of a whole probe. The code stays position-independent
        /// (ASLR). The price: a Debian OpenSSL update reaches Portcullis only when it is rebuilt,
        /// which `LinkedOpenSSL.rebuildAdvice` tells the user when it is due.
        .target(name: "COpenSSLShim", dependencies: ["COpenSSL"], path: "Sources/COpenSSLShim",
                linkerSettings: [.unsafeFlags(["-Xlinker", "-l:libssl.a", "-Xlinker", "-l:libcrypto.a"])]),

        /// Enter another network namespace on a private thread (netlink and sockets opened there stay in it).
        .target(name: "NetNamespace", dependencies: ["CNetfilter"]),
        /// Run other programs (ip, nft; servers in tests) with a clean signal state and bounded waits.
        .target(name: "ChildProcess"),

        /// JSON text with ordered keys, written without Foundation's encoder (reports, probe output).
        .target(name: "JSONText"),
        /// Strict reader of the YAML subset policy files use, on the standard library alone, so the binary needs no Foundation.
        .target(name: "YAMLText"),

        // MARK: Firewall
        /// Pure model of an nf_tables ruleset (tables, chains, rules, expressions, sets) and its nft rendering.
        .target(name: "NftModel"),
        /// Pure evaluator: concrete flows and symbolic per-family summaries over an `NftModel.Ruleset`.
        .target(name: "FirewallEvaluator", dependencies: ["NftModel"]),
        /// Netlink adapter: reads (and atomically writes) nf_tables through libnftnl/libmnl.
        .target(name: "NetlinkRuleset", dependencies: ["NftModel", "JSONText", "CNetfilter", "NetNamespace", "ChildProcess"]),

        // MARK: Listeners
        .target(name: "Listeners", dependencies: ["CNetfilter", "NetNamespace", "NftModel", "FirewallEvaluator"]),

        // MARK: TLS
        /// Pure TLS/SSL wire format: hand-built hellos, record and handshake parsing, suite/group registries.
        .target(name: "TLSWire"),
        /// Probing real endpoints: sockets, OpenSSL handshakes, scheduling.
        .target(name: "TLSProbe", dependencies: ["TLSWire", "JSONText", "COpenSSL", "COpenSSLShim", "CNetfilter", "NetNamespace"]),

        // MARK: Policy, reports, audit
        /// Policy language (YAML data files in policies/, embedded in the binary), evaluation, waivers.
        .target(name: "Policy", dependencies: ["YAMLText"]),
        .target(name: "Reports", dependencies: ["Policy", "JSONText"]),
        .target(name: "Audit", dependencies: [
            "NftModel", "FirewallEvaluator", "NetlinkRuleset", "Listeners", "TLSProbe", "Policy", "Reports", "NetNamespace",
        ]),

        /// Release builds start faster (exit at the top of `main`, `perf stat -r 80`):
        /// - libstdc++, which the Swift runtime needs, is linked from GCC's static archive (see
        ///   `scripts/static-libstdc++/libstdc++.so`): binding the shared one cost ~0.9 ms of CPU;
        /// - the executable exports no symbols (`--no-export-dynamic`; the static Swift runtime's
        ///   link line asks for `-export-dynamic`): `dladdr`, which the runtime calls at start-up,
        ///   scans every exported symbol, 7,458 of them; ~0.2 ms of CPU.
        /// Debug and test builds keep the defaults.
        .executableTarget(name: "portcullis", dependencies: [
            "JSONText", "NftModel", "FirewallEvaluator", "NetlinkRuleset", "Listeners", "TLSProbe", "Policy", "Reports", "Audit",
            "NetNamespace", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: [
            .unsafeFlags(["-L\(Context.packageDirectory)/scripts/static-libstdc++", "-Xlinker", "--no-export-dynamic"], .when(configuration: .release)),
        ]),

        // MARK: Tests (one target per module; TestSupport holds namespaces, processes, servers)
        .target(name: "TestSupport", dependencies: ["CNetfilter", "NetNamespace", "ChildProcess"], path: "Tests/TestSupport"),
        .testTarget(name: "JSONTextTests", dependencies: ["JSONText"]),
        .testTarget(name: "NftModelTests", dependencies: ["NftModel"]),
        .testTarget(name: "FirewallEvaluatorTests", dependencies: ["FirewallEvaluator", "NftModel"]),
        .testTarget(name: "NetlinkRulesetTests", dependencies: ["NetlinkRuleset", "NftModel", "FirewallEvaluator", "TestSupport"]),
        .testTarget(name: "ListenersTests", dependencies: ["Listeners", "NetlinkRuleset", "FirewallEvaluator", "TestSupport"]),
        .testTarget(name: "TLSWireTests", dependencies: ["TLSWire", "TestSupport"]),
        .testTarget(name: "TLSProbeTests", dependencies: ["TLSProbe", "TLSWire", "TestSupport"]),
        .testTarget(name: "PolicyTests", dependencies: ["Policy"]),
        /// Yams stays a test-only dependency: the differential test compares our reader with it.
        .testTarget(name: "YAMLTextTests", dependencies: ["YAMLText", "TestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Policy", "TestSupport"]),
        .testTarget(name: "AuditTests", dependencies: ["Audit", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "portcullis", "TLSProbe", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    ]
)

// Generic types are instantiated by calling their metadata accessors with the conformances the
// compiler already knows, not by looking their mangled names up at run time: the first lookup of
// each conformance (a dictionary key's `Hashable`, a `Result`'s `Error`) scanned all ~5,200
// conformance records of the binary, about 3 % of a probe's CPU (`perf record` over 40 probes;
// with this flag the scan no longer shows up).
for target in package.targets where (target.type == .regular || target.type == .executable) && target.name != "COpenSSLShim" {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"]),
    ]
}
