/*
 * Copyright (c) 2026 The l2mt authors.
 * Licensed under the Apache License, Version 2.0.
 */
#define _GNU_SOURCE 1           /* vasprintf() */
#include <config.h>
#include "metrics-server.h"

#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct metrics_server {
    struct MHD_Daemon *mhd;
    metrics_render_func *render;
    void *aux;
};

static char *
metrics_xasprintf(const char *format, ...)
{
    va_list args;
    char *s;

    va_start(args, format);
    if (vasprintf(&s, format, args) < 0) {
        s = NULL;
    }
    va_end(args);
    return s;
}

static enum MHD_Result
metrics_reply(struct MHD_Connection *conn, unsigned int status,
              char *body, size_t len, const char *type)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    }
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result
metrics_handle(void *server_, struct MHD_Connection *conn, const char *url,
               const char *method, const char *version, const char *upload,
               size_t *upload_size, void **state)
{
    struct metrics_server *server = server_;
    bool get = !strcmp(method, MHD_HTTP_METHOD_GET);
    bool head = !strcmp(method, MHD_HTTP_METHOD_HEAD);

    /* The first call only announces the request; a body (there should be
     * none) is then delivered in pieces that we drop. */
    if (!*state) {
        *state = server;
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0;
        return MHD_YES;
    }

    if (!get && !head) {
        char *msg = strdup("only GET and HEAD are served\n");
        return metrics_reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, msg,
                             msg ? strlen(msg) : 0, "text/plain");
    }
    if (strcmp(url, "/metrics") && strcmp(url, "/")) {
        char *msg = strdup("not found: the metrics are at /metrics\n");
        return metrics_reply(conn, MHD_HTTP_NOT_FOUND, msg,
                             msg ? strlen(msg) : 0, "text/plain");
    }

    char *body = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&body, &len);
    if (!f) {
        return MHD_NO;
    }
    server->render(f, server->aux);
    if (fclose(f)) {
        free(body);
        return MHD_NO;
    }
    return metrics_reply(conn, MHD_HTTP_OK, body, len, METRICS_CONTENT_TYPE);
}

/* Splits "[ADDR]:PORT", "ADDR:PORT" or ":PORT" into 'host' and 'port'. */
static bool
metrics_split(const char *spec, char **host, char **port)
{
    const char *colon;

    if (spec[0] == '[') {
        const char *end = strchr(spec, ']');
        if (!end || end[1] != ':') {
            return false;
        }
        *host = strndup(spec + 1, end - spec - 1);
        colon = end + 1;
    } else {
        colon = strrchr(spec, ':');
        if (!colon || memchr(spec, ':', colon - spec)) {
            return false;
        }
        *host = strndup(spec, colon - spec);
    }
    *port = strdup(colon + 1);
    return **port != '\0';
}

static int
metrics_listen(const char *spec, int *fdp, char **errp)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
    struct addrinfo *ai;
    char *host = NULL, *port = NULL;
    int error, one = 1;

    if (!metrics_split(spec, &host, &port)) {
        free(host);
        free(port);
        *errp = metrics_xasprintf("%s: expected [ADDR]:PORT", spec);
        return EINVAL;
    }
    error = getaddrinfo(*host ? host : NULL, port, &hints, &ai);
    free(host);
    free(port);
    if (error) {
        *errp = metrics_xasprintf("%s: %s", spec, gai_strerror(error));
        return EINVAL;
    }

    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK
                    | SOCK_CLOEXEC, 0);
    if (fd < 0
        || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one)
        || bind(fd, ai->ai_addr, ai->ai_addrlen)
        || listen(fd, 16)) {
        error = errno;
        *errp = metrics_xasprintf("%s: %s", spec, strerror(error));
        if (fd >= 0) {
            close(fd);
        }
    } else {
        *fdp = fd;
    }
    freeaddrinfo(ai);
    return error;
}

int
metrics_server_open(const char *spec, metrics_render_func *render,
                    void *aux, struct metrics_server **serverp, char **errp)
{
    struct metrics_server *server;
    int fd = -1;
    int error;

    *serverp = NULL;
    *errp = NULL;
    error = metrics_listen(spec, &fd, errp);
    if (error) {
        return error;
    }

    server = calloc(1, sizeof *server);
    if (!server) {
        close(fd);
        *errp = metrics_xasprintf("%s: out of memory", spec);
        return ENOMEM;
    }
    server->render = render;
    server->aux = aux;
    /* No thread of its own: epoll, driven by the caller's loop.  A slow
     * or idle client is cut after a few seconds and cannot hold more than
     * a handful of connections. */
    server->mhd = MHD_start_daemon(
        MHD_USE_EPOLL, 0, NULL, NULL,
        metrics_handle, server,
        MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_CONNECTION_TIMEOUT, 5u,
        MHD_OPTION_CONNECTION_LIMIT, 16u,
        MHD_OPTION_END);
    if (!server->mhd) {
        close(fd);
        free(server);
        *errp = metrics_xasprintf("%s: cannot start the HTTP server", spec);
        return EINVAL;
    }
    *serverp = server;
    return 0;
}

void
metrics_server_close(struct metrics_server *server)
{
    if (server) {
        MHD_stop_daemon(server->mhd);   /* Closes the listening socket. */
        free(server);
    }
}

int
metrics_server_fd(const struct metrics_server *server)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(
        server->mhd, MHD_DAEMON_INFO_EPOLL_FD);
    return info ? info->epoll_fd : -1;
}

long long int
metrics_server_timeout(const struct metrics_server *server)
{
    MHD_UNSIGNED_LONG_LONG ms;

    return (MHD_get_timeout(server->mhd, &ms) == MHD_YES
            ? (long long int) ms : -1);
}

void
metrics_server_run(struct metrics_server *server)
{
    MHD_run(server->mhd);
}

unsigned int
metrics_server_port(const struct metrics_server *server)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(
        server->mhd, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}
