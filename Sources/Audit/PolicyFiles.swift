import FoundationEssentials
import Glibc
import Policy

/// The file-system edge of policy loading (the Policy module itself never touches files).
public enum PolicyFiles {
    /// Reads a policy file's text, or a `PolicyError` naming the file and what went wrong.
    public static let read: @Sendable (String) throws(PolicyError) -> String = { path throws(PolicyError) in
        guard let data = FileManager.default.contents(atPath: path) else {
            let why = FileManager.default.fileExists(atPath: path) ? "cannot read policy file" : "no such policy file"
            throw PolicyError(why, file: path)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw PolicyError("policy file is not UTF-8 text", file: path) }
        return text
    }

    /// A loader for the built-in policies and policy files on disk.
    public static var loader: PolicyLoader { PolicyLoader(readFile: read) }
}
