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

#define _GNU_SOURCE 1
#include <config.h>
#include "flowd/flowd-inputs.h"

#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flowd/flowd-file.h"
#include "flowd/flowd-inventory.h"
#include "flowd/flowd-topo.h"
#include "l2mt-conf-util.h"
#include "l2mt-run.h"

struct inv_file {
    char *path;
    struct timespec mtime;
};

static bool
add_inv_file(struct inv_file **files, size_t *n, char *path)
{
    struct stat st;
    struct inv_file *f = path ? realloc(*files, (*n + 1) * sizeof **files)
                              : NULL;

    if (!f) {
        free(path);
        return false;
    }
    *files = f;
    f[*n].path = path;
    f[*n].mtime = stat(path, &st) ? (struct timespec) { 0, 0 } : st.st_mtim;
    (*n)++;
    return true;
}

static int
cmp_inv_files(const void *a_, const void *b_)
{
    const struct inv_file *a = a_, *b = b_;

    if (a->mtime.tv_sec != b->mtime.tv_sec) {
        return a->mtime.tv_sec < b->mtime.tv_sec ? -1 : 1;
    }
    if (a->mtime.tv_nsec != b->mtime.tv_nsec) {
        return a->mtime.tv_nsec < b->mtime.tv_nsec ? -1 : 1;
    }
    return strcmp(a->path, b->path);
}

/* Every inventory file: the files named, and the *.json of the directories
 * named.  A missing file is normal before the agent ran. */
static bool
list_inventories(const struct flowd_inputs *in, struct inv_file **files,
                 size_t *n)
{
    bool ok = true;

    for (size_t i = 0; i < in->n_inventory; i++) {
        const char *path = in->inventory[i];
        struct stat st;

        if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
            struct dirent **list;
            int k = scandir(path, &list, NULL, alphasort);

            for (int j = 0; j < k; j++) {
                size_t l = strlen(list[j]->d_name);
                char *file;

                if (l > 5 && !strcmp(list[j]->d_name + l - 5, ".json")) {
                    ok &= (asprintf(&file, "%s/%s", path, list[j]->d_name)
                           >= 0 && add_inv_file(files, n, file));
                }
                free(list[j]);
            }
            if (k >= 0) {
                free(list);
            }
        } else if (!access(path, F_OK)) {
            ok &= add_inv_file(files, n, strdup(path));
        }
    }
    return ok;
}

/* The topology from the l2mt database, as "l2mt-ctl flowd-topology" prints
 * it (in the topology file's format). */
static char *
read_db(struct flowd_topo *t, const char *db)
{
    char *db_arg = l2mt_xasprintf("--db=%s", db);
    char *argv[] = { "l2mt-ctl", db_arg, "--timeout=10", "flowd-topology",
                     NULL };
    char *text, *child_err, *error;
    size_t len;

    /* l2mt-ctl gives up after its --timeout; this bounds a hung one. */
    int rc = l2mt_run(argv, NULL, 30, &text, &len, &child_err);
    if (rc) {
        size_t n = strcspn(child_err, "\n");

        if (rc > 0) {
            error = l2mt_xasprintf("%s: failed (exit status %d)%s%.*s",
                                   argv[0], rc, n ? ": " : "", (int) n,
                                   child_err);
        } else {
            error = l2mt_xstrndup(child_err, n);
        }
    } else {
        error = flowd_topo_parse(t, text, len, "l2mt-db");
    }
    free(child_err);
    free(text);
    free(db_arg);
    return error;
}

/* Reads 'path' and adds it to 't' with 'parse' (topology or inventory). */
static char *
read_input(struct flowd_topo *t, const char *path,
           char *(*parse)(struct flowd_topo *, const char *, size_t,
                          const char *))
{
    size_t len;
    char *text;
    int error = flowd_file_read(path, &text, &len);

    if (error) {
        return l2mt_xasprintf("%s: %s", path, strerror(error));
    }
    char *msg = parse(t, text, len, path);
    free(text);
    return msg;
}

struct flowd_topo *
flowd_inputs_load(const struct flowd_inputs *in, char **errp)
{
    struct flowd_topo *t = flowd_topo_create();
    struct inv_file *files = NULL;
    char *error = NULL;
    size_t n = 0;

    *errp = NULL;
    if (!t) {
        *errp = l2mt_xstrdup("out of memory");
        return NULL;
    }
    if (in->topology) {
        error = read_input(t, in->topology, flowd_topo_parse);
    }
    if (!error && in->db) {
        error = read_db(t, in->db);
    }
    if (!error && !list_inventories(in, &files, &n)) {
        error = l2mt_xstrdup("out of memory");
    }
    /* Oldest first: where a migrated VM is still in its old host's file,
     * the newer file wins. */
    qsort(files, n, sizeof *files, cmp_inv_files);
    for (size_t j = 0; j < n; j++) {
        if (!error) {
            error = read_input(t, files[j].path, flowd_inventory_parse);
        }
        free(files[j].path);
    }
    free(files);
    if (error) {
        flowd_topo_destroy(t);
        *errp = error;
        return NULL;
    }
    return t;
}

static uint64_t
stamp(const struct stat *st)
{
    return st->st_mtim.tv_sec * 1000000000ULL + st->st_mtim.tv_nsec
           + st->st_size;
}

uint64_t
flowd_inputs_signature(const struct flowd_inputs *in)
{
    uint64_t sig = 0;
    struct stat st;

    if (in->topology && !stat(in->topology, &st)) {
        sig = sig * 31 + stamp(&st);
    }
    for (size_t i = 0; i < in->n_inventory; i++) {
        if (stat(in->inventory[i], &st)) {
            continue;
        }
        sig = sig * 31 + stamp(&st);
        if (S_ISDIR(st.st_mode)) {
            DIR *d = opendir(in->inventory[i]);
            struct dirent *de;
            char path[PATH_MAX];

            while (d && (de = readdir(d))) {
                snprintf(path, sizeof path, "%s/%s", in->inventory[i],
                         de->d_name);
                if (!stat(path, &st)) {
                    sig = sig * 31 + st.st_mtim.tv_nsec + st.st_size;
                }
            }
            if (d) {
                closedir(d);
            }
        }
    }
    return sig;
}
