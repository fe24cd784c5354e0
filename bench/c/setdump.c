/* The floor of reading one nf_tables set over netlink: dump its elements (NFT_MSG_GETSETELEM)
 * and discard them, with nothing else — no parsing, no model, no other table. bench/firewall.sh
 * times it beside portcullis and nft to show how much of both is the kernel's own dump cost.
 *
 * Usage: setdump FAMILY TABLE SET     (FAMILY: inet, ip, ip6). Prints the messages and bytes read. */
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: setdump FAMILY TABLE SET\n"); return 2; }
    int family = !strcmp(argv[1], "inet") ? NFPROTO_INET : !strcmp(argv[1], "ip6") ? NFPROTO_IPV6 : NFPROTO_IPV4;
    char *buf = malloc(1 << 20);
    struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
    if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) { perror("netlink"); return 4; }
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETSETELEM;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK;
    nlh->nlmsg_seq = (unsigned)time(NULL);
    struct nfgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof *g);
    g->nfgen_family = family;
    g->version = NFNETLINK_V0;
    mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, argv[2]);
    mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, argv[3]);
    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) { perror("send"); return 4; }
    unsigned portid = mnl_socket_get_portid(nl);
    long messages = 0, bytes = 0;
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(nl, buf, 1 << 20);
        if (n < 0) { perror("recv"); return 4; }
        messages++;
        bytes += n;
        int rc = mnl_cb_run(buf, n, nlh->nlmsg_seq, portid, NULL, NULL);
        if (rc <= MNL_CB_STOP) { if (rc < 0) { perror("dump"); return 4; } break; }
    }
    printf("%ld batches, %ld bytes\n", messages, bytes);
    mnl_socket_close(nl);
    return 0;
}
