// Headers only: libnftnl, libmnl and the kernel UAPI used for nf_tables and sock_diag.
// Every Swift module that touches sockets imports this one module (see PLATFORM.md on
// clang module ownership of sys/socket.h).
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <linux/netlink.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>
#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <libnftnl/common.h>
#include <libnftnl/table.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/expr.h>
#include <libnftnl/set.h>
#include <libnftnl/object.h>
#include <libnftnl/flowtable.h>
#include <libnftnl/udata.h>
#include <libnftnl/gen.h>

// setns(2) and CLONE_NEWNET need _GNU_SOURCE, which Swift's Glibc module is not built with.
extern int setns(int fd, int nstype);
#define PC_CLONE_NEWNET 0x40000000
