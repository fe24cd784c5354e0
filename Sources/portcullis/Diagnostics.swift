import ArgumentParser
import FoundationEssentials
import Glibc

/// Every message for people on stderr is one line, `portcullis: error: …` or
/// `portcullis: warning: …`, so scripts and log collectors can rely on the shape whatever the
/// command. Machine output goes to stdout alone.
enum Diagnostics {
    static func error(_ message: String) {
        write("portcullis: error: " + message)
    }

    static func warning(_ message: String) {
        write("portcullis: warning: " + message)
    }

    private static func write(_ line: String) {
        StandardStreams.err((line.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: " ") + "\n"))
    }
}

/// Prints the error line and returns the documented exit code to throw.
enum CommandFailure {
    static func report(_ message: String, exitCode: ExitCode) -> ExitCode {
        Diagnostics.error(message)
        return exitCode
    }
}
