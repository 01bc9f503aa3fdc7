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
#include "agent/cmd.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "l2mt-conf-util.h"
#include "util.h"

void
agent_cmd_init(struct agent_cmd *cmd)
{
    cmd->n = 0;
    cmd->alloc = 8;
    cmd->argv = xzalloc(cmd->alloc * sizeof *cmd->argv);
}

void
agent_cmd_add(struct agent_cmd *cmd, const char *word)
{
    if (cmd->n + 2 > cmd->alloc) {
        cmd->alloc *= 2;
        cmd->argv = xrealloc(cmd->argv, cmd->alloc * sizeof *cmd->argv);
    }
    cmd->argv[cmd->n++] = xstrdup(word);
    cmd->argv[cmd->n] = NULL;
}

void
agent_cmd_addf(struct agent_cmd *cmd, const char *fmt, ...)
{
    struct l2mt_str s = { NULL, 0, 0 };
    va_list args;

    va_start(args, fmt);
    l2mt_str_vprintf(&s, fmt, args);
    va_end(args);
    agent_cmd_add(cmd, l2mt_str_cstr(&s));
    l2mt_str_free(&s);
}

void
agent_cmd_free(struct agent_cmd *cmd)
{
    size_t i;

    for (i = 0; i < cmd->n; i++) {
        free(cmd->argv[i]);
    }
    free(cmd->argv);
    cmd->argv = NULL;
    cmd->n = cmd->alloc = 0;
}

char *
agent_cmd_to_shell(const struct agent_cmd *cmd)
{
    struct l2mt_str s = { NULL, 0, 0 };
    size_t i;

    for (i = 0; i < cmd->n; i++) {
        const char *w = cmd->argv[i];

        if (i) {
            l2mt_str_put(&s, " ", 1);
        }
        if (w[0] && strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
                           "QRSTUVWXYZ0123456789-_.,:/=@+%") == strlen(w)) {
            l2mt_str_put(&s, w, strlen(w));
        } else {
            const char *c;

            l2mt_str_put(&s, "'", 1);
            for (c = w; *c; c++) {
                if (*c == '\'') {
                    l2mt_str_put(&s, "'\\''", 4);
                } else {
                    l2mt_str_put(&s, c, 1);
                }
            }
            l2mt_str_put(&s, "'", 1);
        }
    }
    return l2mt_str_steal(&s);
}
