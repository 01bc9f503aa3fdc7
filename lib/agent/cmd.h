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

#ifndef L2MT_AGENT_CMD_H
#define L2MT_AGENT_CMD_H 1

/* Command lines the agent's plan holds (ovs-vsctl, ip): built word by
 * word, printed shell-quoted for --dry-run.  Running them is the
 * executor's (utilities/l2mt-agent-sync.c, with l2mt_run()). */

#include <stddef.h>

struct agent_cmd {
    char **argv;                /* NULL-terminated. */
    size_t n, alloc;
};

void agent_cmd_init(struct agent_cmd *);
void agent_cmd_add(struct agent_cmd *, const char *word);
void agent_cmd_addf(struct agent_cmd *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void agent_cmd_free(struct agent_cmd *);

/* Returns the command as one shell-quoted line (caller frees). */
char *agent_cmd_to_shell(const struct agent_cmd *);

#endif /* agent/cmd.h */
