import Testing
@testable import Listeners

struct ProcParsingTests {
    @Test func socketLinks() {
        #expect(ProcParsing.socketInode(link: "socket:[12345]") == 12345)
        #expect(ProcParsing.socketInode(link: "socket:[4294967295]") == 4294967295)
        #expect(ProcParsing.socketInode(link: "socket:[4294967296]") == nil)
        #expect(ProcParsing.socketInode(link: "pipe:[12345]") == nil)
        #expect(ProcParsing.socketInode(link: "/dev/null") == nil)
        #expect(ProcParsing.socketInode(link: "socket:[]") == nil)
        #expect(ProcParsing.socketInode(link: "socket:[12a]") == nil)
        #expect(ProcParsing.socketInode(link: "anon_inode:[eventpoll]") == nil)
    }

    @Test func namespaceLinks() {
        #expect(ProcParsing.namespaceInode(link: "net:[4026531840]") == 4026531840)
        #expect(ProcParsing.namespaceInode(link: "mnt:[4026531840]") == nil)
        #expect(ProcParsing.namespaceInode(link: "net:[x]") == nil)
    }

    @Test func pidEntries() {
        func pid(_ s: String) -> Int32? { Array(s.utf8).withUnsafeBytes { ProcParsing.pid(entryName: $0) } }
        #expect(pid("1") == 1)
        #expect(pid("4194304") == 4194304)
        #expect(pid("self") == nil)
        #expect(pid("") == nil)
        #expect(pid("12x") == nil)
    }

    @Test func commandLines() {
        #expect(ProcParsing.commandLine(Array("nginx: master process /usr/sbin/nginx\0".utf8)) == "nginx: master process /usr/sbin/nginx")
        #expect(ProcParsing.commandLine(Array("python3\0-c\0print(1)\0".utf8)) == "python3 -c print(1)")
        #expect(ProcParsing.commandLine(Array("a\0\0b\0".utf8)) == "a  b") // an empty argument stays visible
        #expect(ProcParsing.commandLine([]) == "")
        #expect(ProcParsing.commandName(Array("sshd\n".utf8)) == "sshd")
    }

    @Test(arguments: [
        ("0::/system.slice/nginx.service\n", "nginx.service"),
        ("0::/system.slice/nginx.service/workers\n", "nginx.service"),
        ("0::/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service\n", "foo.service"),
        ("0::/user.slice/user-1000.slice/user@1000.service/init.scope\n", "init.scope"),
        ("0::/user.slice/user-1000.slice/session-3.scope\n", "session-3.scope"),
        ("0::/system.slice/docker-0123abcd.scope\n", "docker-0123abcd.scope"),
        ("0::/init.scope\n", "init.scope"),
        ("12:pids:/system.slice/ssh.service\n1:name=systemd:/system.slice/ssh.service\n0::/system.slice/ssh.service\n", "ssh.service"),
        ("9:name=systemd:/system.slice/cron.service\n4:memory:/x\n0::/\n", "cron.service"),
    ])
    func systemdUnits(cgroup: String, unit: String) {
        #expect(ProcParsing.systemdUnit(cgroup: cgroup) == unit)
    }

    @Test(arguments: ["0::/\n", "9:name=systemd:/\n0::/\n", "0::/user.slice/user-1000.slice\n", "garbage", ""])
    func noUnit(cgroup: String) {
        #expect(ProcParsing.systemdUnit(cgroup: cgroup) == nil)
    }

    @Test func ownersPreferProcessesOfTheScannedNamespace() {
        let holders: [UInt32: [Int32]] = [10: [1, 2], 11: [3], 12: [4, 5]]
        let ns: [Int32: UInt64] = [1: 100, 2: 200, 3: 100, 4: 300]
        let owners = ListenerScanner.owningPIDs(holders: holders, targetNamespace: 200, namespaceOf: { ns[$0] })
        #expect(owners[10] == [2]) // a namesake inode held in namespace 100 does not count
        #expect(owners[11] == [3]) // only holder: opened from a thread that entered the namespace
        #expect(owners[12] == [4, 5])
    }
}
