import ArgumentParser
import Foundation

extension Portcullis {
    /// Usage errors exit with 2 (PortcullisExit.usage), the documented status, instead of
    /// ArgumentParser's default 64; everything else (help, version, command failures) is unchanged.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(PortcullisExit.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}
