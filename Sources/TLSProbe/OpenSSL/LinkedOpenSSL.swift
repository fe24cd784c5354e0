import COpenSSL
import Glibc

/// The OpenSSL inside this binary. Portcullis links libssl and libcrypto statically (see
/// Package.swift), so it keeps the OpenSSL of the day it was linked, and a Debian security update
/// of OpenSSL reaches it only through a rebuild. Such an update also rewrites the shared
/// libcrypto (libssl3 and libssl-dev come from one source package and move together): a shared
/// libcrypto changed after this binary was linked means the rebuild is due.
public enum LinkedOpenSSL {
    /// e.g. "OpenSSL 3.0.17 1 Jul 2025". Needs no initialisation of the library.
    public static var version: String { String(cString: OpenSSL_version(OPENSSL_VERSION)) }

    /// Where Debian's libssl3 installs the shared libcrypto on this architecture.
    public static let systemLibraryPath: String = {
        #if arch(x86_64)
        "/usr/lib/x86_64-linux-gnu/libcrypto.so.3"
        #elseif arch(arm64)
        "/usr/lib/aarch64-linux-gnu/libcrypto.so.3"
        #else
        ""
        #endif
    }()

    /// One line telling the user to rebuild, or nil. Compares the status-change time (ctime) of
    /// the system's libcrypto with the modification time of the running binary: dpkg gives the
    /// files it installs the package's own mtimes, but it cannot set their ctime, which is when
    /// they were written on this machine. Silent when either file cannot be examined.
    public static func rebuildAdvice(executable: String = "/proc/self/exe", systemLibrary: String = systemLibraryPath) -> String? {
        var binary = stat(), library = stat()
        guard stat(executable, &binary) == 0, stat(systemLibrary, &library) == 0,
              isStale(linked: binary.st_mtim, libraryChanged: library.st_ctim) else { return nil }
        let path = realPath(executable) ?? "the portcullis binary"
        // SwiftPM does not relink when only a system library changed: the binary must go first.
        return "the system's OpenSSL (\(systemLibrary)) changed after this binary was built, and Portcullis carries its own copy (\(version)): "
            + "rebuild it to pick up the update (rm \(path) && swift build -c release --static-swift-stdlib)"
    }

    /// True when the library changed after the binary was linked.
    static func isStale(linked: timespec, libraryChanged: timespec) -> Bool {
        (libraryChanged.tv_sec, libraryChanged.tv_nsec) > (linked.tv_sec, linked.tv_nsec)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
