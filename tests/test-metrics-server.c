/*
 * Copyright (c) 2026 The l2mt authors.
 * Licensed under the Apache License, Version 2.0.
 *
 * lib/metrics against a real client on loopback: what each request gets,
 * that rendering happens per scrape in the caller's thread, and that bad
 * listen specs are refused with a message.
 */
#include <config.h>
#include "metrics-server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(COND, ...)                                        \
    do {                                                        \
        if (!(COND)) {                                          \
            fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);     \
            fprintf(stderr, __VA_ARGS__);                       \
            fputc('\n', stderr);                                \
            failures++;                                         \
        }                                                       \
    } while (0)

static void
render(FILE *out, void *aux)
{
    int *scrapes = aux;

    (*scrapes)++;
    fprintf(out, "# TYPE test_scrapes_total counter\n"
            "test_scrapes_total %d\n", *scrapes);
}

/* Sends 'request' to the server's port and returns the whole answer,
 * running the server in this thread meanwhile (at most 5 s). */
static char *
exchange(struct metrics_server *server, const char *request)
{
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_port = htons(metrics_server_port(server)),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    size_t len = 0, cap = 65536;
    char *answer = calloc(1, cap);

    if (fd < 0 || connect(fd, (struct sockaddr *) &sin, sizeof sin)
        || write(fd, request, strlen(request)) != (ssize_t) strlen(request)) {
        perror("client");
        exit(1);
    }
    for (int i = 0; i < 500; i++) {
        struct pollfd pfd[2] = {
            { .fd = metrics_server_fd(server), .events = POLLIN },
            { .fd = fd, .events = POLLIN },
        };
        poll(pfd, 2, 10);
        metrics_server_run(server);
        if (pfd[1].revents) {
            ssize_t n = read(fd, answer + len, cap - 1 - len);
            if (n <= 0) {
                break;
            }
            len += n;
        }
    }
    close(fd);
    return answer;
}

int
main(void)
{
    struct metrics_server *server, *second;
    int scrapes = 0;
    char *err, *a;

    int error = metrics_server_open("127.0.0.1:0", render, &scrapes,
                                    &server, &err);
    if (error) {
        fprintf(stderr, "open: %s\n", err);
        return 1;
    }
    CHECK(metrics_server_port(server) != 0, "no port");

    a = exchange(server, "GET /metrics HTTP/1.1\r\nHost: x\r\n"
                 "Connection: close\r\n\r\n");
    CHECK(!strncmp(a, "HTTP/1.1 200", 12), "GET /metrics: %.40s", a);
    CHECK(strstr(a, "text/plain; version=0.0.4"), "content type: %s", a);
    CHECK(strstr(a, "\r\n\r\n# TYPE test_scrapes_total counter\n"
                 "test_scrapes_total 1\n"), "body: %s", a);
    free(a);

    /* Each scrape renders anew. */
    a = exchange(server, "GET / HTTP/1.0\r\n\r\n");
    CHECK(strstr(a, "test_scrapes_total 2\n"), "second scrape: %s", a);
    free(a);

    a = exchange(server, "HEAD /metrics HTTP/1.0\r\n\r\n");
    CHECK(!strncmp(a, "HTTP/1.0 200", 12) || !strncmp(a, "HTTP/1.1 200", 12),
          "HEAD: %.40s", a);
    CHECK(!strstr(a, "test_scrapes_total"), "HEAD has a body: %s", a);
    free(a);

    a = exchange(server, "GET /other HTTP/1.0\r\n\r\n");
    CHECK(strstr(a, " 404 "), "unknown path: %.40s", a);
    free(a);

    a = exchange(server, "POST /metrics HTTP/1.0\r\nContent-Length: 3\r\n"
                 "\r\nabc");
    CHECK(strstr(a, " 405 ") && strstr(a, "Allow: GET, HEAD"),
          "POST: %s", a);
    free(a);

    /* Garbage is answered (400) or cut, never rendered. */
    int before = scrapes;
    a = exchange(server, "\x01\x02 nonsense\r\n\r\n");
    CHECK(scrapes == before, "garbage rendered the metrics");
    free(a);

    /* Bad specs: a message, an errno, no server. */
    static const struct { const char *spec; int error; } bad[] = {
        { "9100", EINVAL },
        { "[::1]9100", EINVAL },
        { "1.2.3.4.5:9100", EINVAL },
        { "127.0.0.1:", EINVAL },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        error = metrics_server_open(bad[i].spec, render, &scrapes, &second,
                                    &err);
        CHECK(error == bad[i].error && err && strstr(err, bad[i].spec)
              && !second, "%s: %d %s", bad[i].spec, error, err ? err : "");
        free(err);
    }
    char spec[64];
    snprintf(spec, sizeof spec, "127.0.0.1:%u", metrics_server_port(server));
    error = metrics_server_open(spec, render, &scrapes, &second, &err);
    CHECK(error == EADDRINUSE && err && strstr(err, "in use"),
          "port taken: %d %s", error, err ? err : "");
    free(err);

    metrics_server_close(server);
    /* Closed means the port is free again. */
    error = metrics_server_open(spec, render, &scrapes, &second, &err);
    CHECK(!error, "port not released: %s", err ? err : "");
    metrics_server_close(second);
    free(err);

    if (failures) {
        fprintf(stderr, "%d failures\n", failures);
    }
    return failures != 0;
}
