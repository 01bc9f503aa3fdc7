/*
 * Copyright (c) 2026 The l2mt authors.
 * Licensed under the Apache License, Version 2.0.
 *
 * The Prometheus endpoint of every l2mt daemon, on GNU libmicrohttpd.
 *
 * The server runs in the caller's thread: it exposes one file descriptor
 * (libmicrohttpd's epoll set) for the caller's poll loop, and the caller
 * calls metrics_server_run() when it is readable or when the timeout is
 * due.  So the render callback runs where the counters live and needs no
 * locking of its own.
 */
#ifndef METRICS_SERVER_H
#define METRICS_SERVER_H 1

#include <stdio.h>

struct metrics_server;

/* Writes the metrics, in the Prometheus text format 0.0.4, to 'out'. */
typedef void metrics_render_func(FILE *out, void *aux);

/* Listens on 'spec' ("[ADDR]:PORT", "ADDR:PORT" or ":PORT"; an empty ADDR
 * means every address).  On success stores the server in '*serverp' and
 * returns 0; on failure returns an errno value and stores a malloc'd
 * message in '*errp' (which the caller frees). */
int metrics_server_open(const char *spec, metrics_render_func *render,
                        void *aux, struct metrics_server **serverp,
                        char **errp);
void metrics_server_close(struct metrics_server *);

/* The descriptor to poll for POLLIN, and the longest wait (ms, -1 for
 * none) before metrics_server_run() must be called anyway. */
int metrics_server_fd(const struct metrics_server *);
long long int metrics_server_timeout(const struct metrics_server *);
void metrics_server_run(struct metrics_server *);

/* The port bound (useful with port 0). */
unsigned int metrics_server_port(const struct metrics_server *);

#endif /* metrics-server.h */
