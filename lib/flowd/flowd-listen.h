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

#ifndef L2MT_FLOWD_LISTEN_H
#define L2MT_FLOWD_LISTEN_H 1

/* The collector's sockets: UDP listeners read in batches (recvmmsg), each
 * datagram stamped with the kernel's receive time, which decides its
 * interval. */

/* struct mmsghdr needs _GNU_SOURCE, defined by whoever includes this
 * first (Open vSwitch's config.h defines it). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

struct flowd_core;
struct flowd_ipfix_in_collector;

/* Datagrams received at once on one socket. */
#define FLOWD_BATCH 64

/* A receiver that found fewer than FLOWD_BATCH datagrams waiting sleeps
 * this long before reading again instead of waking for each datagram: at
 * low rates a wakeup (poll, recvmmsg, the loop's own work) costs more than
 * the datagram's samples, so this lets a few queue up and be read in one
 * go.  It delays a datagram by at most this much, which is nothing beside
 * an interval; the socket buffer (8 MB) holds more than 5 ms of any rate
 * a receiver keeps up with (5 ms at 200,000 datagrams/s is 1,000
 * datagrams, about 2.5 MB of kernel buffers).  1 ms still left about 600
 * wakeups a second at 5,000 datagrams/s, a context switch each; 5 ms
 * leaves about 200.  Idle receivers still block. */
#define FLOWD_HOLDOFF_MS 5

/* Opens a listening socket ('type' SOCK_DGRAM or SOCK_STREAM) on 'spec'
 * ("ADDR:PORT", "[V6]:PORT" or ":PORT"), with SO_REUSEPORT if 'reuseport'
 * (several receive workers on one port).  Stores the descriptor in '*fdp'
 * and returns NULL, or returns a malloc'd "'SPEC': message" for the caller
 * to free ('*fdp' is then -1). */
char *flowd_listen_open(const char *spec, int type, bool reuseport, int *fdp)
    __attribute__((warn_unused_result));

/* One UDP socket with its own receive buffers: datagrams received after
 * the open interval's end wait there ('next' .. 'n' - 1) until it is
 * closed. */
struct flowd_listener {
    int fd;
    struct flowd_ipfix_in_collector *ipfix; /* IPFIX, not sFlow, if nonnull. */
    struct sockaddr_storage (*names)[FLOWD_BATCH];
    uint8_t (*bufs)[65536];
    struct iovec iov[FLOWD_BATCH];
    struct mmsghdr msgs[FLOWD_BATCH];
    char ctl[FLOWD_BATCH][CMSG_SPACE(sizeof(struct timespec))];
    uint64_t ms[FLOWD_BATCH];       /* Kernel receive time of each. */
    int n, next;
};

/* Takes 'fd' (a UDP socket); for IPFIX ('ipfix' nonnull) it also keeps the
 * senders' addresses.  Returns 0, or an errno value (the caller closes
 * 'fd'). */
int flowd_listener_init(struct flowd_listener *, int fd,
                        struct flowd_ipfix_in_collector *ipfix)
    __attribute__((warn_unused_result));
void flowd_listener_destroy(struct flowd_listener *);

/* A datagram received before 'end' waits in the buffers. */
bool flowd_listener_waiting(const struct flowd_listener *, uint64_t end);

/* Processes the datagrams of 'l' received before 'end', reading at most
 * 'max_batches' batches from the socket.  Returns true if 'l' holds a
 * datagram received at or after 'end' (for the next interval), whose
 * receive time is then l->ms[l->next]. */
bool flowd_listener_receive(struct flowd_core *, struct flowd_listener *l,
                            uint64_t end, int max_batches);

/* The wall clock in ms since the epoch (the datagrams' time base). */
uint64_t flowd_wall_ms(void);

#endif /* flowd-listen.h */
