import ArgumentParser
import NetlinkRuleset

/// Exit statuses shared by every subcommand; documented in README.md and `--help`.
/// Scripts depend on these numbers: change them only with a schema version bump.
enum PortcullisExit {
    /// Answered; no finding at or above `--fail-on`.
    static let ok = ExitCode(0)
    /// `audit`: findings at or above `--fail-on`.
    static let findings = ExitCode(1)
    /// Usage error, malformed policy, malformed input file (ruleset dump, CA file …).
    static let usage = ExitCode(2)
    /// `audit`: a check could not run (result incomplete).
    static let incomplete = ExitCode(3)
    /// The kernel refused: missing privilege (CAP_NET_ADMIN) or netlink unavailable.
    static let privilege = ExitCode(4)
    /// `probe`: the target could not be reached at all.
    static let unreachable = ExitCode(5)
    /// Writing a report or applying a ruleset change failed.
    static let ioFailure = ExitCode(6)
}

extension PortcullisExit {
    /// Exit status for a ruleset that could not be read: missing privilege or netlink trouble → 4,
    /// malformed or unreadable input file → 2, namespace trouble → 4.
    static func code(for error: RulesetReadError) -> ExitCode {
        switch error {
        case .permissionDenied, .netlink, .namespace: privilege
        case .malformedFile, .unreadableFile: usage
        }
    }
}
