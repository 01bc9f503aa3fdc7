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

/* The dump of a parsed config that tests compare: every setting, defaults
 * filled in, one line per block (tests/conf/good.dump). */

#include <config.h>

#include "conf-dump.h"

#include <inttypes.h>

#include "l2mt-conf.h"
#include "nat64.h"

void
conf_dump(FILE *out, const struct l2mt_conf *c)
{
    size_t i, j;

    for (i = 0; i < c->n_hosts; i++) {
        const struct l2mt_conf_host *h = &c->hosts[i];

        fprintf(out, "host %s line=%d edge-switch=%s bridge=%s datapath=%s "
               "tunnel-mode=%s underlay-interface=%s underlay-ip=%s "
               "underlay-bridge=%s inventory=%s\n", h->name, h->line,
               h->edge_switch ? h->edge_switch : "-", h->bridge,
               h->datapath_type, l2mt_tunnel_mode_name(h->tunnel_mode),
               h->underlay_if ? h->underlay_if : "-",
               h->underlay_ip ? h->underlay_ip : "-",
               h->underlay_bridge ? h->underlay_bridge : "-",
               h->inventory ? h->inventory : "-");
        fprintf(out, "  bfd=%s min-rx=%"PRIu32" min-tx=%"PRIu32" mult=%"PRIu32
                "\n", h->bfd.off ? "off" : "on", h->bfd.min_rx, h->bfd.min_tx,
                h->bfd.mult);
        if (h->sflow.line) {
            fprintf(out, "  sflow agent=%s sampling=%u polling=%u header=%u",
                   h->sflow.agent ? h->sflow.agent : "-", h->sflow.sampling,
                   h->sflow.polling, h->sflow.header);
            for (j = 0; j < h->sflow.n_targets; j++) {
                fprintf(out, " target=%s", h->sflow.targets[j]);
            }
            fprintf(out, "\n");
        }
        if (h->ipsec.psk || h->ipsec.certificate) {
            const struct l2mt_conf_ipsec *ip = &h->ipsec;

            fprintf(out, "  ipsec psk=%s certificate=%s private-key=%s "
                    "ca-cert=%s", ip->psk ? ip->psk : "-",
                    ip->certificate ? ip->certificate : "-",
                    ip->private_key ? ip->private_key : "-",
                    ip->ca_cert ? ip->ca_cert : "-");
            for (j = 0; j < ip->n_remotes; j++) {
                fprintf(out, " remote=%s cert=%s name=%s", ip->remotes[j],
                        ip->remote_certs[j] ? ip->remote_certs[j] : "-",
                        ip->remote_names[j] ? ip->remote_names[j] : "-");
            }
            fprintf(out, "\n");
        }
    }
    for (i = 0; i < c->n_tenants; i++) {
        const struct l2mt_conf_tenant *t = &c->tenants[i];

        fprintf(out, "tenant %"PRIu32" name=%s gre-key=%"PRIu32" v4=%s v6=%s "
               "prefix=%s nat64=%s", t->id, t->name, t->gre_key,
               t->service_v4_port,
               t->service_v6_port ? t->service_v6_port : "-", t->prefix,
               t->nat64 ? "on" : "off");
        for (j = 0; j < t->n_remotes; j++) {
            fprintf(out, " remote=%s", t->remotes[j]);
        }
        fprintf(out, " meter-pps=%lld meter-nd-pps=%lld", t->meters.pps,
               t->meters.nd_pps);
        for (j = 0; j < t->n_service_addrs; j++) {
            fprintf(out, " service-address=%s", t->service_addrs[j]);
        }
        for (j = 0; j < t->n_ipv6_sources; j++) {
            fprintf(out, " ipv6-source=%s", t->ipv6_sources[j]);
        }
        if (t->mtu6 || t->mtu4) {
            fprintf(out, " mtu6=%"PRIu32" mtu4=%"PRIu32, t->mtu6, t->mtu4);
        }
        fprintf(out, "\n");
    }
    for (i = 0; i < c->n_profiles; i++) {
        const struct l2mt_conf_profile *p = &c->profiles[i];

        fprintf(out, "profile %s vlan=%d trunks=%s rate=%lld burst=%lld qos=%s",
               p->name, p->vlan, p->trunks ? p->trunks : "-",
               p->policing_rate, p->policing_burst,
               p->qos_type ? p->qos_type : "-");
        for (j = 0; j < p->n_qos_config; j++) {
            fprintf(out, " %s", p->qos_config[j]);
        }
        fprintf(out, " meter-pps=%lld meter-nd-pps=%lld", p->meters.pps,
               p->meters.nd_pps);
        fprintf(out, " sflow=%d nat64=%s\n", p->sflow,
               p->nat64 < 0 ? "unset" : l2mt_mode_name(p->nat64));
    }
    for (i = 0; i < c->n_ports; i++) {
        const struct l2mt_conf_port *p = &c->ports[i];
        static const char *const match[] = { "interface", "iface-id", "mac" };

        fprintf(out, "port %s %s=%s profile=%s tenant=%s\n", p->label,
               match[p->match], p->value,
               p->profile ? p->profile->name : "-",
               p->tenant ? p->tenant->name : "-");
    }
}
