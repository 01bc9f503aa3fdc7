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

#ifndef L2MT_DAEMON_OPTIONS_H
#define L2MT_DAEMON_OPTIONS_H 1

/* The options every l2mt daemon (l2mt-agent, l2mt-flowd) takes besides its
 * own, so that they all answer them the same way: Open vSwitch's daemon
 * and vlog options, -h/--help and -V/--version.  Used as OVS's own
 * DAEMON_* and VLOG_* macros are, in the option enum, the long option
 * table (last) and the getopt switch (last); the short options string
 * has "v::hV".  Needs set_program_name() to have been called. */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "daemon.h"
#include "openvswitch/vlog.h"
#include "util.h"

#define L2MT_DAEMON_OPTION_ENUMS                \
    DAEMON_OPTION_ENUMS,                        \
    VLOG_OPTION_ENUMS

#define L2MT_DAEMON_LONG_OPTIONS                \
    DAEMON_LONG_OPTIONS,                        \
    VLOG_LONG_OPTIONS,                          \
    { "help", no_argument, NULL, 'h' },         \
    { "version", no_argument, NULL, 'V' },      \
    { NULL, 0, NULL, 0 }

/* USAGE() prints --help's text. */
#define L2MT_DAEMON_OPTION_HANDLERS(USAGE)                              \
    DAEMON_OPTION_HANDLERS                                              \
    VLOG_OPTION_HANDLERS                                                \
    case 'h':                                                           \
        USAGE();                                                        \
        exit(EXIT_SUCCESS);                                             \
    case 'V':                                                           \
        printf("%s (l2mt) %s\n", program_name, L2MT_VERSION);           \
        exit(EXIT_SUCCESS);                                             \
    default:                                                            \
        fprintf(stderr, "Try '%s --help'.\n", program_name);            \
        exit(EXIT_FAILURE);

#endif /* l2mt-daemon-options.h */
