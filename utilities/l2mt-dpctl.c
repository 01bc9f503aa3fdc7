/*
 * Copyright (c) 2026 The l2mt authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/* l2mt-dpctl: shows the nat64 counters of the kernel datapaths (the patched
 * openvswitch module), read over its "l2mt" generic netlink family.  The
 * module answers about the datapaths of our network namespace only. */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "l2mt_genl.h"

static const char *program_name = "l2mt-dpctl";

static void
usage(void)
{
    printf("%s: shows the l2mt nat64 counters of the kernel datapath\n"
           "usage: %s [OPTIONS] COMMAND\n"
           "\n"
           "Commands:\n"
           "  show [DP]         print the counters of each datapath of this\n"
           "                    network namespace, or of datapath DP (a name,\n"
           "                    or ifindex:N): NAME VALUE [drop]\n"
           "\n"
           "Options:\n"
           "  -h, --help        display this help message\n"
           "  -V, --version     display version information\n",
           program_name, program_name);
}

/* Logs an error in Open vSwitch's vlog format to stderr. */
static void __attribute__((format(printf, 1, 2)))
log_error(const char *format, ...)
{
    struct timespec ts;
    char stamp[32];
    struct tm tm;
    va_list args;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(stderr, "%s.%03ldZ|00001|l2mt_dpctl|ERR|", stamp,
            ts.tv_nsec / 1000000);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    putc('\n', stderr);
}

/* Sends the generic netlink request in 'buf' on 'nl' and feeds each reply
 * message to 'cb'.  Returns 0 or a positive errno value. */
static int
transact(struct mnl_socket *nl, char *buf, size_t size, mnl_cb_t cb,
         void *aux)
{
    struct nlmsghdr *nlh = (struct nlmsghdr *) buf;
    unsigned int portid = mnl_socket_get_portid(nl);
    uint32_t seq = nlh->nlmsg_seq;
    int ret;

    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
        return errno;
    }
    do {
        ret = mnl_socket_recvfrom(nl, buf, size);
        if (ret <= 0) {
            return ret < 0 ? errno : EPROTO;
        }
        ret = mnl_cb_run(buf, ret, seq, portid, cb, aux);
    } while (ret > 0);
    return ret < 0 ? errno : 0;
}

static struct nlmsghdr *
put_request(char *buf, uint16_t type, uint16_t flags, uint8_t cmd,
            uint8_t version)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    struct genlmsghdr *genl;

    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    nlh->nlmsg_seq = time(NULL);
    genl = mnl_nlmsg_put_extra_header(nlh, sizeof *genl);
    genl->cmd = cmd;
    genl->version = version;
    return nlh;
}

static int
family_id_cb(const struct nlmsghdr *nlh, void *family_id_)
{
    uint16_t *family_id = family_id_;
    struct nlattr *attr;

    mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
        if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID
            && !mnl_attr_validate(attr, MNL_TYPE_U16)) {
            *family_id = mnl_attr_get_u16(attr);
        }
    }
    return MNL_CB_OK;
}

/* One counter: name, value, drop flag. */
static int
counter_cb(const struct nlattr *attr, void *n_)
{
    const char *name = NULL;
    uint64_t value = 0;
    bool drop = false;
    struct nlattr *a;
    int *n = n_;

    if (mnl_attr_get_type(attr) != L2MT_ATTR_COUNTER) {
        return MNL_CB_OK;
    }
    mnl_attr_for_each_nested(a, attr) {
        switch (mnl_attr_get_type(a)) {
        case L2MT_COUNTER_ATTR_NAME:
            if (!mnl_attr_validate(a, MNL_TYPE_NUL_STRING)) {
                name = mnl_attr_get_str(a);
            }
            break;
        case L2MT_COUNTER_ATTR_VALUE:
            if (!mnl_attr_validate(a, MNL_TYPE_U64)) {
                value = mnl_attr_get_u64(a);
            }
            break;
        case L2MT_COUNTER_ATTR_DROP:
            drop = true;
            break;
        }
    }
    if (name) {
        printf("  %s %"PRIu64"%s\n", name, value, drop ? " drop" : "");
        (*n)++;
    }
    return MNL_CB_OK;
}

/* The datapath a reply is about: its name and ifindex. */
struct dp_id {
    const char *name;
    uint32_t ifindex;
};

static int
dp_id_cb(const struct nlattr *attr, void *id_)
{
    struct dp_id *id = id_;

    if (mnl_attr_get_type(attr) == L2MT_ATTR_DP_NAME
        && !mnl_attr_validate(attr, MNL_TYPE_NUL_STRING)) {
        id->name = mnl_attr_get_str(attr);
    } else if (mnl_attr_get_type(attr) == L2MT_ATTR_DP_IFINDEX
               && !mnl_attr_validate(attr, MNL_TYPE_U32)) {
        id->ifindex = mnl_attr_get_u32(attr);
    }
    return MNL_CB_OK;
}

/* One reply: a "NAME (ifindex N):" line, then its counters. */
static int
counters_cb(const struct nlmsghdr *nlh, void *n_)
{
    struct dp_id id = { NULL, 0 };
    int counters = 0;
    int *n = n_;
    int ret;

    ret = mnl_attr_parse(nlh, sizeof(struct genlmsghdr), dp_id_cb, &id);
    if (ret != MNL_CB_OK) {
        return ret;
    }
    if (!id.name) {
        /* Every request of ours names a datapath or dumps them all. */
        log_error("the kernel's reply names no datapath");
        return MNL_CB_ERROR;
    }
    printf("%s (ifindex %"PRIu32"):\n", id.name, id.ifindex);
    (*n)++;
    return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), counter_cb,
                          &counters);
}

/* Puts the attribute that names datapath 'dp' ("NAME" or "ifindex:N")
 * into 'nlh'.  Returns false if 'dp' is not a valid name. */
static bool
put_dp(struct nlmsghdr *nlh, const char *dp)
{
    if (!strncmp(dp, "ifindex:", 8)) {
        char *end;
        unsigned long ifindex;

        errno = 0;
        ifindex = strtoul(dp + 8, &end, 10);
        if (errno || end == dp + 8 || *end || !ifindex
            || ifindex > INT_MAX) {
            return false;
        }
        mnl_attr_put_u32(nlh, L2MT_ATTR_DP_IFINDEX, ifindex);
    } else {
        /* A datapath is named by its local port: a network device name
         * ("ovs-system"), which cannot hold ':' or '/'. */
        if (!dp[0] || strlen(dp) >= 16 || strpbrk(dp, ":/ \t\n")) {
            return false;
        }
        mnl_attr_put_strz(nlh, L2MT_ATTR_DP_NAME, dp);
    }
    return true;
}

static int
cmd_show(const char *dp)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    struct mnl_socket *nl;
    uint16_t family_id = 0;
    struct nlmsghdr *nlh;
    int n = 0;
    int error;

    /* A bad name is a usage error, whatever the kernel has. */
    if (dp && !put_dp(mnl_nlmsg_put_header(buf), dp)) {
        log_error("%s: not a datapath name or ifindex:N", dp);
        return 2;
    }

    nl = mnl_socket_open(NETLINK_GENERIC);
    if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        log_error("cannot open a generic netlink socket (%s)",
                  strerror(errno));
        return 1;
    }

    nlh = put_request(buf, GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY, 1);
    mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, L2MT_GENL_NAME);
    error = transact(nl, buf, sizeof buf, family_id_cb, &family_id);
    if (error || !family_id) {
        log_error("the kernel has no \"%s\" generic netlink family: is the "
                  "l2mt openvswitch module loaded? (%s)", L2MT_GENL_NAME,
                  strerror(error ? error : ENOENT));
        mnl_socket_close(nl);
        return 1;
    }

    /* Without DP, a dump: the kernel lists our namespace's datapaths. */
    nlh = put_request(buf, family_id, dp ? NLM_F_ACK : NLM_F_DUMP,
                      L2MT_CMD_GET, L2MT_GENL_VERSION);
    if (dp) {
        put_dp(nlh, dp);
    }
    error = transact(nl, buf, sizeof buf, counters_cb, &n);
    mnl_socket_close(nl);
    if (error == ENODEV && dp) {
        log_error("%s: no such datapath in this network namespace", dp);
        return 1;
    } else if (error == EOPNOTSUPP && !dp) {
        log_error("the l2mt module is older than this program: it has no "
                  "per-datapath counters (%s)", strerror(error));
        return 1;
    } else if (error) {
        log_error("reading the counters failed (%s)", strerror(error));
        return 1;
    }
    if (dp && !n) {
        log_error("the kernel returned no counters for %s", dp);
        return 1;
    }
    return 0;
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int c;

    while ((c = getopt_long(argc, argv, "hV", long_options, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage();
            return 0;
        case 'V':
            printf("%s (l2mt) %s\n", program_name, PACKAGE_VERSION);
            return 0;
        default:
            fprintf(stderr, "Try '%s --help' for more information.\n",
                    program_name);
            return 2;
        }
    }
    if (optind == argc) {
        log_error("missing command (try --help)");
        return 2;
    }
    if (!strcmp(argv[optind], "show") && argc - optind <= 2) {
        return cmd_show(argv[optind + 1]);
    }
    log_error("unknown command or extra arguments '%s' (try --help)",
              argv[optind]);
    return 2;
}
