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

/* test-conf FILE: parses FILE and prints every setting, defaults filled
 * in, one per line; or the parser's errors on stderr and exit status 1. */

#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "l2mt-conf.h"
#include "nat64.h"

static void
dump(const struct l2mt_conf *c)
{
    size_t i, j;

    for (i = 0; i < c->n_hosts; i++) {
        const struct l2mt_conf_host *h = &c->hosts[i];

        printf("host %s line=%d edge-switch=%s bridge=%s datapath=%s "
               "tunnel-mode=%s underlay-interface=%s underlay-ip=%s "
               "underlay-bridge=%s inventory=%s\n", h->name, h->line,
               h->edge_switch ? h->edge_switch : "-", h->bridge,
               h->datapath_type, l2mt_tunnel_mode_name(h->tunnel_mode),
               h->underlay_if ? h->underlay_if : "-",
               h->underlay_ip ? h->underlay_ip : "-",
               h->underlay_bridge ? h->underlay_bridge : "-",
               h->inventory ? h->inventory : "-");
        printf("  bfd=%s min-rx=%"PRIu32" min-tx=%"PRIu32" mult=%"PRIu32"\n",
               h->bfd.off ? "off" : "on", h->bfd.min_rx, h->bfd.min_tx,
               h->bfd.mult);
        if (h->sflow.line) {
            printf("  sflow agent=%s sampling=%u polling=%u header=%u",
                   h->sflow.agent ? h->sflow.agent : "-", h->sflow.sampling,
                   h->sflow.polling, h->sflow.header);
            for (j = 0; j < h->sflow.n_targets; j++) {
                printf(" target=%s", h->sflow.targets[j]);
            }
            printf("\n");
        }
    }
    for (i = 0; i < c->n_tenants; i++) {
        const struct l2mt_conf_tenant *t = &c->tenants[i];

        printf("tenant %"PRIu32" name=%s gre-key=%"PRIu32" v4=%s v6=%s "
               "prefix=%s nat64=%s", t->id, t->name, t->gre_key,
               t->service_v4_port,
               t->service_v6_port ? t->service_v6_port : "-", t->prefix,
               t->nat64 ? "on" : "off");
        for (j = 0; j < t->n_remotes; j++) {
            printf(" remote=%s", t->remotes[j]);
        }
        printf(" meter-pps=%lld meter-nd-pps=%lld", t->meters.pps,
               t->meters.nd_pps);
        for (j = 0; j < t->n_service_addrs; j++) {
            printf(" service-address=%s", t->service_addrs[j]);
        }
        for (j = 0; j < t->n_ipv6_sources; j++) {
            printf(" ipv6-source=%s", t->ipv6_sources[j]);
        }
        printf("\n");
    }
    for (i = 0; i < c->n_profiles; i++) {
        const struct l2mt_conf_profile *p = &c->profiles[i];

        printf("profile %s vlan=%d trunks=%s rate=%lld burst=%lld qos=%s",
               p->name, p->vlan, p->trunks ? p->trunks : "-",
               p->policing_rate, p->policing_burst,
               p->qos_type ? p->qos_type : "-");
        for (j = 0; j < p->n_qos_config; j++) {
            printf(" %s", p->qos_config[j]);
        }
        printf(" meter-pps=%lld meter-nd-pps=%lld", p->meters.pps,
               p->meters.nd_pps);
        printf(" sflow=%d nat64=%s\n", p->sflow,
               p->nat64 < 0 ? "unset" : l2mt_mode_name(p->nat64));
    }
    for (i = 0; i < c->n_ports; i++) {
        const struct l2mt_conf_port *p = &c->ports[i];
        static const char *const match[] = { "interface", "iface-id", "mac" };

        printf("port %s %s=%s profile=%s tenant=%s\n", p->label,
               match[p->match], p->value,
               p->profile ? p->profile->name : "-",
               p->tenant ? p->tenant->name : "-");
    }
}

int
main(int argc, char *argv[])
{
    struct l2mt_conf *conf;
    char *errors;

    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    conf = l2mt_conf_load(argv[1], &errors);
    if (!conf) {
        fputs(errors, stderr);
        free(errors);
        return 1;
    }
    dump(conf);
    l2mt_conf_free(conf);
    return 0;
}
