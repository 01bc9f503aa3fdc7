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

#include <config.h>
#include "l2mt-run.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "l2mt-conf-util.h"

static long long
now_msec(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void
close_pipe(int fds[2])
{
    for (int i = 0; i < 2; i++) {
        if (fds[i] >= 0) {
            close(fds[i]);
            fds[i] = -1;
        }
    }
}

int
l2mt_run(char *const argv[], const char *input, int timeout,
         char **out, size_t *out_len, char **err)
{
    struct l2mt_str bufs[2] = { { NULL, 0, 0 }, { NULL, 0, 0 } };
    int in_pipe[2] = { -1, -1 }, out_pipe[2] = { -1, -1 };
    int err_pipe[2] = { -1, -1 };
    long long deadline = now_msec() + timeout * 1000LL;
    size_t in_len = input ? strlen(input) : 0, in_ofs = 0;
    int status, open_fds, rc = -1;
    bool timed_out = false;
    pid_t pid;

    if (pipe(in_pipe) || pipe(out_pipe) || pipe(err_pipe)) {
        l2mt_str_printf(&bufs[1], "%s: pipe: %s", argv[0], strerror(errno));
        goto done;
    }
    pid = fork();
    if (pid < 0) {
        l2mt_str_printf(&bufs[1], "%s: fork: %s", argv[0], strerror(errno));
        goto done;
    } else if (!pid) {
        dup2(in_pipe[0], 0);
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        close_pipe(in_pipe);
        close_pipe(out_pipe);
        close_pipe(err_pipe);
        signal(SIGPIPE, SIG_DFL);
        execvp(argv[0], argv);
        fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    in_pipe[0] = out_pipe[1] = err_pipe[1] = -1;
    /* A child that exits without reading its input must not kill us. */
    signal(SIGPIPE, SIG_IGN);
    if (!in_len) {
        close_pipe(in_pipe);
    }

    open_fds = 2;
    while (open_fds > 0 || in_pipe[1] >= 0) {
        struct pollfd pfd[3] = {
            { out_pipe[0], POLLIN, 0 },
            { err_pipe[0], POLLIN, 0 },
            { in_pipe[1], POLLOUT, 0 },
        };
        long long left = deadline - now_msec();

        if (left <= 0) {
            timed_out = true;
            kill(pid, SIGKILL);
            break;
        }
        if (poll(pfd, 3, left > 1000 ? 1000 : left) < 0 && errno != EINTR) {
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (pfd[i].fd >= 0 && pfd[i].revents) {
                char buf[4096];
                ssize_t n = read(pfd[i].fd, buf, sizeof buf);

                if (n > 0) {
                    l2mt_str_put(&bufs[i], buf, n);
                } else if (n == 0 || errno != EINTR) {
                    close(pfd[i].fd);
                    *(i ? &err_pipe[0] : &out_pipe[0]) = -1;
                    open_fds--;
                }
            }
        }
        if (in_pipe[1] >= 0 && pfd[2].revents) {
            ssize_t n = write(in_pipe[1], input + in_ofs, in_len - in_ofs);

            if (n > 0) {
                in_ofs += n;
            }
            if (n <= 0 || in_ofs == in_len) {
                close_pipe(in_pipe);
            }
        }
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        continue;
    }
    if (timed_out) {
        l2mt_str_printf(&bufs[1], "%s: timed out after %d s\n", argv[0],
                        timeout);
    } else if (WIFEXITED(status)) {
        rc = WEXITSTATUS(status);
    } else {
        l2mt_str_printf(&bufs[1], "%s: killed by signal %d\n", argv[0],
                        WTERMSIG(status));
    }

done:
    close_pipe(in_pipe);
    close_pipe(out_pipe);
    close_pipe(err_pipe);
    if (out_len) {
        *out_len = bufs[0].len;
    }
    if (out) {
        *out = l2mt_str_steal(&bufs[0]);
    } else {
        l2mt_str_free(&bufs[0]);
    }
    if (err) {
        *err = l2mt_str_steal(&bufs[1]);
    } else {
        l2mt_str_free(&bufs[1]);
    }
    return rc;
}
