import FoundationEssentials
import Glibc

/// A policy that cannot be used, with where and what was expected. Printed as
/// `FILE:LINE:COLUMN: message` so editors and CI annotate the right place.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation?
    public var file: String
    public var message: String

    public init(_ message: String, at location: SourceLocation) {
        self.location = location
        self.file = location.file
        self.message = message
    }

    public init(_ message: String, file: String) {
        self.location = nil
        self.file = file
        self.message = message
    }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return "\(file): \(message)"
    }
}
