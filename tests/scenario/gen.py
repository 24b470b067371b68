#!/usr/bin/env python3
"""gen.py - write one day of synthetic AWS VPC Flow Logs with attacks injected.

Usage:
    python3 tests/scenario/gen.py OUTDIR [--day 1|2] [--seed N]

Writes, deterministically for a given day and seed (day 1: the date
2026-02-13 and seed 20260213 in the paths below; day 2, the profile
PROFILES[2]: 2026-03-21, seed 20260321, another VPC, other subnets,
addresses, ENIs, internet peers, volumes and attack times):

    OUTDIR/v5/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/02/13/*.log.gz
        the day in the 29-field v5 format (header line, one file per hour)
    OUTDIR/v2/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/02/13/*.log.gz
        the same records in the default 14-field v2 format, as a second
        flow log with the default format would have written them
    OUTDIR/truth.tsv
        the ground truth: every injected attack and every benign look-alike,
        one line each (kind, detection, src, dst, port, covered_by, note);
        the shell tests check the detections against this file, never
        against pasted query output. kind is
          attack             `detection` must report it at medium or above;
          covered_elsewhere  an attack that `detection` by its definition
                             cannot see or rates below medium (it started
                             in the baseline half of the day, it is not in
                             the detection's scope, a few attempts per
                             peer), so covered_by names the detections
                             (comma list) that must report it at medium or
                             above instead;
          lookalike          benign traffic that looks like what
                             `detection` looks for: below medium there.
    OUTDIR/context.sql
        the user-supplied tables of the scenario (TEMP tables ioc, zones,
        allowed) for threat_list_match and trust_boundary

THE FLOOD OF COMPLETED CONNECTIONS (flood(), T1498/T1499)

Thousands of new internet sources each complete one TCP connection to a
load balancer's 443 within two minutes (that port normally sees a new
client every minute or two); its look-alike is a flash crowd at the other
load balancer: browsers whose arrivals ramp up over 30-40 minutes, each
loading a few pages over one or two connections. Both draw from their own
random stream, so adding them left day 1's other records as they were.

THE NETWORK

One VPC 10.0.0.0/16 in us-east-1, account 123456789012 (day 1; day 2 has
the same hosts at other addresses, see PROFILES):

    subnet       cidr           az        zone   hosts
    public-a     10.0.0.0/24    use1-az1  dmz    nat 10.0.0.5, bastion .10, web1 .21, alb-a .30
    public-b     10.0.10.0/24   use1-az2  dmz    web2 10.0.10.22, alb-b .30
    app          10.0.1.0/24    use1-az1  app    app1..app5 10.0.1.11-15
    data         10.0.2.0/24    use1-az2  data   db1 .30 (postgres), cache .31 (redis), es .32
    mgmt         10.0.3.0/24    use1-az1  mgmt   monitor .20, backup .21, dc .22, cfg .23, spare .30

Private subnets reach the internet through the NAT gateway (10.0.0.5); the
public subnets through the internet gateway. Internet peers use the
documentation ranges 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and the
benchmarking range 198.18.0.0/15, so no real host is named; AWS services use
AWS's published ranges (S3 52.216.0.0/15, AMAZON 52.94.0.0/16).

HOW RECORDS ARE MADE (the flow-log semantics the detections must respect)

* Every interface uses a 60 s aggregation interval (Nitro), windows aligned
  to the minute; a connection longer than a window gets one record per
  window and direction (a long connection is a fake 60 s "beacon").
* One TCP connection gives a record per direction on every logged ENI it
  crosses: 2 records between the internet and a public host, 4 inside the
  VPC (egress at the sender, ingress at the receiver, both ways), 6 from a
  private host through the NAT gateway (the instance's 2, plus the NAT
  ENI's ingress/egress on both sides, with pkt-srcaddr/pkt-dstaddr holding
  the real peer as AWS's NAT example shows).
* A packet refused by the receiver's security group is an ingress REJECT at
  the receiver and an egress ACCEPT at the sender, with no reverse record.
  A packet refused by the sender's egress rules is one egress REJECT.
* tcp-flags is the OR over the window: SYN 2 in the initiator's first
  window, SYN-ACK 18 in the responder's, FIN 1 in the last; 0 in between.
  A connection inside one window so logs SYN|FIN = 3 at the initiator and
  SYN-ACK|FIN = 19 at the responder (RST 4 instead of FIN when reset).
  Non-TCP records carry 0.
* A probe from a scanning tool is 40 or 44 bytes per packet (no TCP options
  or MSS only); an operating system's SYN is 60 bytes (MSS, SACK, timestamps,
  window scale).
* NODATA: the idle "spare" ENI reports NODATA every window. SKIPDATA: the es
  ENI loses its records 11:00-11:20, the NAT gateway's 20:00-20:05 (one
  SKIPDATA record per window). web2's flow log is deleted 14:00-16:00: its
  ENI writes no record at all then (the other ENIs still log their side).
* Simplifications, stated so nobody mistakes them for AWS behaviour: every
  ENI's window starts on the minute; only the spare ENI writes NODATA
  (busy hosts never idle a whole minute here); files are hourly, not every
  5 minutes.
"""

import argparse
import calendar
import gzip
import io
import os
import random
import sys

ACCOUNT = "123456789012"
REGION = "us-east-1"
HOUR = 3600
MIN = 60

V5_FIELDS = ("version account-id interface-id srcaddr dstaddr srcport dstport "
             "protocol packets bytes start end action log-status vpc-id "
             "subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr "
             "region az-id sublocation-type sublocation-id pkt-src-aws-service "
             "pkt-dst-aws-service flow-direction traffic-path").split()
V2_FIELDS = V5_FIELDS[:14]

# The scenario's days. Each is the same network and the same kinds of
# traffic and attacks, with its own date, VPC, subnets, addresses, ENI
# ids, internet peers, seed, volumes and attack times, so that a test
# passing on both cannot lean on one day's numbers. Day 1 is the original
# scenario (fixtures/scenario); day 2 is fixtures/scenario/day2.
#
#   subnets   name: (subnet id, az, public, /24 prefix)
#   last      host name: last octet of its address
#   xlate     internet addresses as written in this file -> this day's
#             (prefix swaps; the IOC list and truth.tsv are mapped too)
#   at        attack start times, seconds after midnight (default: day 1's)
#   vol       attack volumes (default: day 1's)
#   flood     the completed-connection flood and its flash-crowd look-alike
PROFILES = {
    1: dict(
        seed=20260213, date=(2026, 2, 13), vpc="vpc-0a1b2c3d4e5f60718",
        eni_base=0x51e0000, inst_base=0xabc000, fl5="fl-05c0ffee0000005",
        fl2="fl-02c0ffee0000002",
        subnets={
            "public-a": ("subnet-0aa0000000000001a", "use1-az1", True, "10.0.0"),
            "public-b": ("subnet-0bb0000000000002b", "use1-az2", True, "10.0.10"),
            "app": ("subnet-0cc0000000000003c", "use1-az1", False, "10.0.1"),
            "data": ("subnet-0dd0000000000004d", "use1-az2", False, "10.0.2"),
            "mgmt": ("subnet-0ee0000000000005e", "use1-az1", False, "10.0.3"),
        },
        last=dict(nat=5, bastion=10, web1=21, alba=30, web2=22, albb=30,
                  app1=11, app2=12, app3=13, app4=14, app5=15, db1=30,
                  cache=31, es=32, monitor=20, backup=21, dc=22, cfg=23,
                  spare=30),
        xlate=(), at={}, vol={},
        web_gap=(25, 70),
        flood=dict(target="alba", port=443, at=10 * HOUR + 20 * MIN, sources=6000,
                   secs=100, crowd="albb", crowd_at=15 * HOUR, crowd_peak=120,
                   crowd_ramp=30, crowd_len=40, pool=(198, 18, 64)),
    ),
    2: dict(
        seed=20260321, date=(2026, 3, 21), vpc="vpc-07f3e2d1c0b9a8765",
        eni_base=0x7a40000, inst_base=0x5d1e000, fl5="fl-05beef0000000a2",
        fl2="fl-02beef0000000a2",
        subnets={
            "public-a": ("subnet-04a6e0000000000a4", "use1-az4", True, "172.20.4"),
            "public-b": ("subnet-04b6e0000000000b4", "use1-az6", True, "172.20.14"),
            "app": ("subnet-04c6e0000000000c4", "use1-az4", False, "172.20.21"),
            "data": ("subnet-04d6e0000000000d4", "use1-az6", False, "172.20.32"),
            "mgmt": ("subnet-04e6e0000000000e4", "use1-az4", False, "172.20.40"),
        },
        last=dict(nat=6, bastion=11, web1=41, alba=50, web2=42, albb=51,
                  app1=101, app2=102, app3=103, app4=104, app5=105, db1=60,
                  cache=61, es=62, monitor=70, backup=71, dc=72, cfg=73,
                  spare=90),
        xlate=(("198.51.100.", "203.0.113."), ("203.0.113.", "198.51.100."),
               ("198.18.", "198.19."), ("52.216.", "52.217."), ("52.94.228.", "52.94.5."),
               ("192.0.2.8", "192.0.2.18")),
        at=dict(port_scan=16 * HOUR + 40 * MIN, lateral=17 * HOUR + 10 * MIN,
                sweep=13 * HOUR + 20 * MIN, exposed=19 * HOUR + 5 * MIN,
                brute=20 * HOUR, exfil=14 * HOUR + 30 * MIN, beacon=3 * HOUR + 41,
                dns_slow=10 * HOUR + 4, dns_tcp=23 * HOUR + 10 * MIN,
                dns_fast=21 * HOUR + 30 * MIN + 7, icmp=15 * HOUR + 10 * MIN,
                tor=12 * HOUR + 40 * MIN, udp_flood=22 * HOUR + 30 * MIN,
                syn_flood=18 * HOUR + 15 * MIN, blocked=16 * HOUR, smtp=18 * HOUR + 30 * MIN,
                mining=13 * HOUR + 3, ioc_scan=7 * HOUR + 12 * MIN,
                trust=20 * HOUR + 40 * MIN, skip_es=9 * HOUR + 30 * MIN,
                skip_nat=22 * HOUR + 30 * MIN, silence=15 * HOUR),
        vol=dict(scan_ports=600, sweep_hosts=420, sweep_secs=900, exposed_ports=180,
                 brute_n=600, brute_gap=5, exfil=(900_000, 1_200_000_000), exfil_secs=1200,
                 beacon_every=420, udp_sources=6, udp_pk=90000, syn_sources=380,
                 blocked=320, smtp=110, smtp_servers=9, trust_n=12, skip_es=15),
        web_gap=(18, 50),
        flood=dict(target="albb", port=443, at=19 * HOUR + 40 * MIN + 30, sources=4500,
                   secs=80, crowd="alba", crowd_at=8 * HOUR + 30 * MIN, crowd_peak=140,
                   crowd_ramp=40, crowd_len=48, pool=(198, 19, 160)),
    ),
}

P = None
DAY = 0
VPC = ""
SUBNETS = {}
HOSTS = {}
ADDR = {}
BYADDR = {}
SERVERS = []
# name: subnet, has an instance id (addresses come from the profile)
HOST_SUBNET = {
    "nat": ("public-a", False), "bastion": ("public-a", True),
    "web1": ("public-a", True), "alba": ("public-a", False),
    "web2": ("public-b", True), "albb": ("public-b", False),
    "app1": ("app", True), "app2": ("app", True), "app3": ("app", True),
    "app4": ("app", True), "app5": ("app", True),
    "db1": ("data", True), "cache": ("data", True), "es": ("data", True),
    "monitor": ("mgmt", True), "backup": ("mgmt", True), "dc": ("mgmt", True),
    "cfg": ("mgmt", True), "spare": ("mgmt", True),
}


def configure(day):
    """Make the module's network globals those of scenario day `day`."""
    global P, DAY, VPC, SUBNETS, HOSTS, ADDR, BYADDR, SERVERS
    P = PROFILES[day]
    DAY = calendar.timegm(P["date"] + (0, 0, 0))
    VPC = P["vpc"]
    SUBNETS = {k: v[:3] for k, v in P["subnets"].items()}
    # name: (address, subnet, has an instance id)
    HOSTS = {n: ("%s.%d" % (P["subnets"][sn][3], P["last"][n]), sn, inst)
             for n, (sn, inst) in HOST_SUBNET.items()}
    ADDR = {name: h[0] for name, h in HOSTS.items()}
    BYADDR = {h[0]: name for name, h in HOSTS.items()}
    SERVERS = [n for n in HOSTS if n not in ("nat", "alba", "albb", "spare")]


def X(addr):
    """An internet address (or CIDR) as written here -> this day's."""
    if addr is None or addr in BYADDR:
        return addr
    for a, b in P["xlate"]:
        if addr.startswith(a):
            return b + addr[len(a):]
    return addr


def at(name, default):
    """The start of attack `name` on this day (absolute seconds)."""
    return DAY + P["at"].get(name, default)


def vol(name, default):
    return P["vol"].get(name, default)


S3_SERVICE = "S3"
AMAZON_SERVICE = "AMAZON"


def eni_of(name):
    """Stable made-up ENI and instance ids for a host name."""
    n = sorted(HOSTS).index(name) + 1
    eni = "eni-0%015x" % (P["eni_base"] + n)
    inst = ("i-0%016x" % (P["inst_base"] + n)) if HOSTS[name][2] else "-"
    return eni, inst


class Gen:
    """Collects records; one call per connection builds all its records."""

    def __init__(self, seed):
        self.rnd = random.Random(seed)
        self.recs = []            # tuples in V5 field order
        self.eport = {}           # next ephemeral port per host
        self.truth = []
        self.gaps = []            # (eni, t0, t1): a flow log that was off

    # -- helpers -------------------------------------------------------
    def ephemeral(self, addr):
        p = self.eport.get(addr, 32768 + self.rnd.randrange(20000))
        p = 32768 + ((p - 32768 + 1 + self.rnd.randrange(7)) % 28000)
        self.eport[addr] = p
        return p

    def note(self, kind, detection, src, dst, port, text, covered_by=()):
        # covered_by only, and always, on a covered_elsewhere row
        # (truth.tsv's kinds are described in the header)
        assert kind in ("attack", "covered_elsewhere", "lookalike"), kind
        assert (kind == "covered_elsewhere") == bool(covered_by), (kind, covered_by)
        assert detection not in covered_by, (detection, covered_by)
        self.truth.append((kind, detection, X(src) or "", X(dst) or "",
                           "" if port is None else str(port), ",".join(covered_by), text))

    def record(self, host, direction, src, dst, sport, dport, proto, pkts,
               nbytes, start, end, action, flags, psrc=None, pdst=None,
               ssvc=None, dsvc=None, path=None):
        eni, inst = eni_of(host)
        subnet, az, _ = SUBNETS[HOSTS[host][1]]
        src, dst, psrc, pdst = X(src), X(dst), X(psrc), X(pdst)
        self.recs.append((
            5, ACCOUNT, eni, src, dst, sport, dport, proto, pkts, nbytes,
            start, end, action, "OK", VPC, subnet, inst, flags,
            "IPv6" if ":" in src else "IPv4", psrc or src, pdst or dst,
            REGION, az, None, None, ssvc, dsvc, direction,
            path if direction == "egress" else None))

    def status(self, host, t, status):
        eni, inst = eni_of(host)
        subnet, az, _ = SUBNETS[HOSTS[host][1]]
        self.recs.append((5, ACCOUNT, eni, None, None, None, None, None,
                          None, None, t, t + MIN - 1, None, status, VPC,
                          subnet, inst, None, None, None, None, REGION, az,
                          None, None, None, None, None, None))

    @staticmethod
    def windows(t0, dur):
        """Split [t0, t0+dur] into per-minute pieces: (start, end, share)."""
        t1 = t0 + max(dur, 0)
        out = []
        w = t0 - t0 % MIN
        while w <= t1:
            s, e = max(t0, w), min(t1, w + MIN - 1)
            out.append((s, e))
            w += MIN
        total = sum(e - s + 1 for s, e in out)
        return [(s, e, (e - s + 1) / total) for s, e in out]

    def leg(self, host, direction, src, dst, sport, dport, proto, pkts, nbytes,
            t0, dur, action, flags_first, flags_last, **kw):
        """Records of one direction of a flow on one ENI, one per window."""
        pieces = self.windows(t0, dur)
        left_p, left_b = pkts, nbytes
        for i, (s, e, share) in enumerate(pieces):
            last = i == len(pieces) - 1
            p = left_p if last else max(1, int(round(pkts * share)))
            b = left_b if last else max(p * 40, int(round(nbytes * share)))
            p, b = min(p, left_p), min(b, left_b)
            if p <= 0:
                continue
            left_p -= p
            left_b -= b
            if proto != 6:
                fl = 0
            elif len(pieces) == 1:
                fl = flags_first | flags_last
            elif i == 0:
                fl = flags_first
            elif last:
                fl = flags_last
            else:
                fl = 0
            self.record(host, direction, src, dst, sport, dport, proto, p, b,
                        s, e, action, fl, **kw)

    def conn(self, a, b, dport, t0, dur=1, out=(6, 600), back=(5, 1500),
             proto=6, sport=None, reject=None, close=1, dsvc=None,
             ssvc=None):
        """One connection initiated by a towards b:dport.

        a, b: host names (inside the VPC) or addresses (internet).
        out, back: (packets, bytes) each way; back=None means no answer.
        reject: None, 'in' (b's security group refuses), 'out' (a's egress
        rules refuse). close: flags in the last window (1 FIN, 4 RST, 0 open).
        dsvc/ssvc: AWS service of the internet peer (v5 pkt-*-aws-service).
        """
        t0 = int(t0)
        ia, ib = a in HOSTS, b in HOSTS
        A = ADDR[a] if ia else a
        B = ADDR[b] if ib else b
        if sport is None:
            sport = self.ephemeral(A)
        syn = 2 if proto == 6 else 0
        synack = 18 if proto == 6 else 0
        if reject == "in" or reject == "out":
            back = None
        pa, ba = out
        # a's own ENI
        via_nat = ia and not SUBNETS[HOSTS[a][1]][2] and not ib and dsvc != S3_SERVICE
        if ia:
            if ib:
                path = 1
            elif dsvc == S3_SERVICE:
                path = 7
            elif via_nat:
                path = 1
            else:
                path = 8
            self.leg(a, "egress", A, B, sport, dport, proto, pa, ba, t0, dur,
                     "REJECT" if reject == "out" else "ACCEPT", syn,
                     close if back else 0, dsvc=dsvc, path=path)
            if reject == "out":
                return
        if ib:
            self.leg(b, "ingress", A, B, sport, dport, proto, pa, ba, t0, dur,
                     "REJECT" if reject == "in" else "ACCEPT", syn,
                     close if back else 0, ssvc=ssvc)
        if via_nat:
            N = ADDR["nat"]
            nport = self.ephemeral(N)
            self.leg("nat", "ingress", A, N, sport, dport, proto, pa, ba, t0,
                     dur, "ACCEPT", syn, close if back else 0, pdst=B, dsvc=dsvc)
            self.leg("nat", "egress", N, B, nport, dport, proto, pa, ba, t0,
                     dur, "ACCEPT", syn, close if back else 0, dsvc=dsvc, path=8)
        if not back:
            return
        pb, bb = back
        if ib:
            self.leg(b, "egress", B, A, dport, sport, proto, pb, bb, t0, dur,
                     "ACCEPT", synack, close, ssvc=dsvc,
                     path=1 if ia else 8)
        if via_nat:
            self.leg("nat", "ingress", B, N, dport, nport, proto, pb, bb, t0,
                     dur, "ACCEPT", synack, close, ssvc=dsvc)
            self.leg("nat", "egress", N, A, dport, sport, proto, pb, bb, t0,
                     dur, "ACCEPT", synack, close, psrc=B, ssvc=dsvc, path=1)
        if ia:
            self.leg(a, "ingress", B, A, dport, sport, proto, pb, bb, t0, dur,
                     "ACCEPT", synack, close, ssvc=dsvc)

    def silence(self, host, t0, t1):
        """No records of host's ENI start in [t0, t1): its log was off."""
        self.gaps.append((eni_of(host)[0], t0, t1))

    def kept(self, rec):
        return not any(rec[2] == eni and t0 <= rec[10] < t1
                       for eni, t0, t1 in self.gaps)

    def jit(self, x, frac):
        return x * (1 + self.rnd.uniform(-frac, frac))

    def pub(self, lo=0, span=2048):
        """A benign internet address in 198.18.0.0/15."""
        n = lo + self.rnd.randrange(span)
        return "198.18.%d.%d" % (n // 250, 1 + n % 250)


# ---------------------------------------------------------------------------
# Benign traffic
# ---------------------------------------------------------------------------
def benign(g):
    r = g.rnd
    apps = ["app1", "app2", "app3", "app4"]

    # Web: internet clients -> ALB:443, ALB -> app:8080 (proxied).
    t = DAY
    while t < DAY + 24 * HOUR:
        hour = (t - DAY) // HOUR
        rate = P["web_gap"][0] if 8 <= hour < 22 else P["web_gap"][1]       # mean seconds between clients
        t += int(r.expovariate(1 / rate)) + 1
        alb = r.choice(["alba", "albb"])
        client = g.pub(0, 1500)
        sp = r.choice([9001, 9030]) if r.random() < 0.01 else None
        g.conn(client, alb, 443, t, dur=r.randint(1, 20),
               out=(r.randint(8, 20), r.randint(900, 4000)),
               back=(r.randint(10, 60), r.randint(6000, 90000)), sport=sp)
        g.conn(alb, r.choice(apps), 8080, t, dur=r.randint(1, 5),
               out=(r.randint(5, 12), r.randint(800, 3000)),
               back=(r.randint(8, 40), r.randint(5000, 80000)))
    # a client whose ephemeral port happens to be Tor's 9001
    g.note("lookalike", "icmp_tunnel_tor", ADDR["alba"], None, 9001,
           "ALB responses to internet clients whose ephemeral port is 9001/9030")

    # ALB health checks every 5 minutes from both ALB nodes to every app.
    for k in range(24 * 12):
        for alb in ("alba", "albb"):
            for app in apps:
                g.conn(alb, app, 8080, DAY + k * 300 + (7 if alb == "albb" else 2),
                       out=(5, 420), back=(4, 610))
    g.note("lookalike", "beaconing", ADDR["alba"], ADDR["app1"], 8080,
           "load-balancer health checks every 300 s")

    # Monitoring: Prometheus scrapes node_exporter on web1 every minute (and
    # on db1 and app1 every 5 minutes),
    # checks the bastion's SSH banner and pings an internet target every
    # 5 minutes, and keeps probing a redis port the cache's SG blocks.
    for k in range(24 * 60):
        t0 = DAY + k * MIN + 5
        for h in (("web1", "db1", "app1") if k % 5 == 0 else ("web1",)):
            g.conn("monitor", h, 9100, t0 + HOSTS[h][0].count("1"),
                   out=(6, 520), back=(6, 14500 + r.randint(0, 400)))
        if k % 5 == 0:
            g.conn("monitor", "bastion", 22, t0 + 20, out=(6, 420), back=(5, 560))
            g.conn("monitor", "198.51.100.1", 0, t0 + 30, proto=1,
                   out=(3, 252), back=(3, 252))
            g.conn("monitor", "cache", 6380, t0 + 40, out=(2, 120), reject="in")
    g.note("lookalike", "beaconing", ADDR["monitor"], ADDR["web1"], 9100,
           "monitoring scrape every 60 s")
    g.note("lookalike", "icmp_tunnel_tor", ADDR["monitor"], "198.51.100.1", None,
           "monitoring ping, 84-byte packets, every 5 min")
    g.note("lookalike", "internal_reject", ADDR["monitor"], ADDR["cache"], 6380,
           "steady blocked health check every 5 min")
    # reject_spike names the source only (dst and port are NULL)
    g.note("lookalike", "reject_spike", ADDR["monitor"], None, None,
           "steady blocked health check every 5 min")
    g.note("lookalike", "brute_force", ADDR["monitor"], ADDR["bastion"], 22,
           "SSH banner check every 5 min")

    # app -> db: app1 holds one connection open 08:00-20:00; the others connect
    # every 10 minutes. app -> cache every 10 minutes, app -> es hourly.
    g.conn("app1", "db1", 5432, DAY + 8 * HOUR, dur=12 * HOUR, out=(12 * 60 * 30, 12 * 60 * 9000),
           back=(12 * 60 * 30, 12 * 60 * 40000))
    for k in range(24 * 6):
        for app in apps[1:]:
            g.conn(app, "db1", 5432, DAY + k * 600 + r.randint(0, 500), dur=r.randint(1, 30),
                   out=(r.randint(10, 40), r.randint(2000, 9000)),
                   back=(r.randint(10, 60), r.randint(8000, 120000)))
        for app in apps:
            g.conn(app, "cache", 6379, DAY + k * 600 + r.randint(0, 500),
                   out=(r.randint(4, 12), r.randint(300, 2000)),
                   back=(r.randint(4, 12), r.randint(400, 9000)))
    for hh in range(24):
        for app in apps:
            g.conn(app, "es", 9200, DAY + hh * HOUR + r.randint(0, 3000), dur=r.randint(1, 20),
                   out=(r.randint(20, 80), r.randint(20000, 300000)),
                   back=(r.randint(10, 40), r.randint(2000, 8000)))
    # every host talks to the domain controller (kerberos, ldap, smb)
    for k in range(48):
        for h in SERVERS:
            if h == "dc":
                continue
            port = (88, 389, 445)[k % 3]
            g.conn(h, "dc", port, DAY + k * 1800 + r.randint(0, 1700),
                   out=(r.randint(4, 12), r.randint(400, 3000)),
                   back=(r.randint(4, 12), r.randint(400, 5000)))

    # Nightly backup: rsync over SSH from db1 at 01:00, then 8 GB to S3
    # through the gateway endpoint at 02:00 (four parallel streams).
    g.conn("backup", "db1", 22, DAY + 1 * HOUR + 120, dur=900,
           out=(30000, 2_000_000), back=(1_400_000, 2_000_000_000))
    for s in range(4):
        g.conn("backup", "52.216.%d.%d" % (40 + s, 10 + 7 * s), 443,
               DAY + 2 * HOUR + 60 + s * 3, dur=2400,
               out=(1_500_000, 2_000_000_000), back=(700_000, 40_000_000),
               dsvc=S3_SERVICE)
    g.note("lookalike", "exfiltration", ADDR["backup"], "52.216.40.0/22", 443,
           "nightly 8 GB backup to S3 through the gateway endpoint")
    g.note("lookalike", "new_destination", ADDR["backup"], "52.216.40.0/22", 443,
           "nightly backup to S3")

    # SSM agent on app hosts and web1 polls AWS every 15 minutes.
    for h in apps + ["web1"]:
        off = r.randint(0, 800)
        for k in range(24 * 4):
            g.conn(h, "52.94.%d.%d" % (228, 10 + apps.index(h) if h in apps else 20), 443,
                   DAY + off + k * 900 + r.randint(0, 2),
                   out=(9, 1800 + r.randint(0, 30)), back=(8, 5200 + r.randint(0, 30)),
                   dsvc=AMAZON_SERVICE)
    g.note("lookalike", "beaconing", None, "52.94.228.0/24", 443,
           "SSM agents polling AWS every 900 s")

    # A websocket from app1 to a SaaS API, open 08:00-20:00 (one record per
    # minute and direction: the 60 s aggregation look-alike of a beacon).
    g.conn("app1", "198.51.100.30", 443, DAY + 8 * HOUR + 13, dur=12 * HOUR,
           out=(12 * 60 * 6, 12 * 60 * 900), back=(12 * 60 * 6, 12 * 60 * 1400), close=0)
    g.note("lookalike", "beaconing", ADDR["app1"], "198.51.100.30", 443,
           "one long websocket: a record every 60 s")

    # Outbound API calls from the apps (irregular), and a log shipper on
    # web1 that flushes when its buffer fills (2-15 min).
    for app in apps:
        t = DAY + r.randint(0, 600)
        while t < DAY + 24 * HOUR:
            g.conn(app, g.pub(1600, 40), 443, t, dur=r.randint(1, 5),
                   out=(r.randint(8, 20), r.randint(1500, 9000)),
                   back=(r.randint(8, 30), r.randint(4000, 60000)))
            t += r.randint(600, 2400)
    t = DAY + 100
    while t < DAY + 24 * HOUR:
        g.conn("web1", "203.0.113.10", 443, t, dur=r.randint(2, 20),
               out=(r.randint(600, 2000), r.randint(800_000, 2_900_000)),
               back=(r.randint(200, 600), r.randint(12000, 40000)))
        t += r.randint(120, 900)
    g.note("lookalike", "beaconing", ADDR["web1"], "203.0.113.10", 443,
           "log shipper flushing every 2-15 min")
    # OS package mirrors: 04:00 (baseline) and a new mirror at 15:30.
    for i, app in enumerate(apps):
        g.conn(app, "192.0.2.81", 80, DAY + 4 * HOUR + 60 * i, dur=40,
               out=(900, 60000), back=(36000, 50_000_000))
        g.conn(app, "192.0.2.80", 80, DAY + 15 * HOUR + 1800 + 60 * i, dur=40,
               out=(900, 60000), back=(36000, 50_000_000))
    g.note("lookalike", "new_destination", ADDR["app1"], "192.0.2.80", 80,
           "new OS package mirror, 50 MB downloaded")
    g.note("lookalike", "exfiltration", ADDR["app1"], "192.0.2.80", 80,
           "50 MB download (inbound)")
    # web2 uses a public resolver (small, steady).
    for k in range(24 * 6):
        for q in range(3):
            g.conn("web2", "198.51.100.8", 53, DAY + k * 600 + r.randint(0, 590), proto=17,
                   out=(1, r.randint(60, 90)), back=(1, r.randint(90, 300)))
    g.note("lookalike", "dns_tunnel", ADDR["web2"], "198.51.100.8", 53,
           "host configured with a public resolver")
    g.note("lookalike", "beaconing", ADDR["web2"], "198.51.100.8", 53,
           "DNS lookups to a public resolver, 3 every 10 min")
    # es has an NTP server it may not reach (egress REJECT, a few an hour).
    for hh in range(24):
        for q in range(r.randint(1, 3)):
            g.conn("es", "198.18.7.%d" % (1 + q), 123, DAY + hh * HOUR + r.randint(0, 3500),
                   proto=17, out=(1, 76), reject="out")

    # Admins: office -> bastion SSH 09:00-10:00 and 16:00-17:00; the bastion
    # fans out over SSH (a new host in the afternoon).
    office = "198.51.100.10"
    morning = ["web1", "web2", "app1", "app2", "app3", "app4", "db1", "cache"]
    for base, targets in ((9, morning), (16, morning + ["es"])):
        g.conn(office, "bastion", 22, DAY + base * HOUR + 30, dur=3500,
               out=(3000, 400_000), back=(4000, 2_000_000))
        for i, h in enumerate(targets):
            g.conn("bastion", h, 22, DAY + base * HOUR + 120 + 200 * i, dur=r.randint(60, 600),
                   out=(r.randint(200, 900), r.randint(30000, 90000)),
                   back=(r.randint(300, 1500), r.randint(60000, 500000)))
    g.note("lookalike", "lateral_movement", ADDR["bastion"], None, 22,
           "bastion admin SSH fan-out (9 hosts)")
    # exposed_service: dst is our host, src the scanners (if any)
    g.note("lookalike", "exposed_service", None, ADDR["bastion"], 22,
           "SSH open to the office address only")
    g.note("lookalike", "brute_force", ADDR["bastion"], None, 22,
           "bastion admin SSH fan-out")

    # Config management (Ansible) 03:00 and 15:00: 5 SSH sessions per host.
    for base in (3, 15):
        for i, h in enumerate(SERVERS):
            if h == "cfg":
                continue
            for j in range(5):
                g.conn("cfg", h, 22, DAY + base * HOUR + 60 + 8 * i + j, dur=r.randint(2, 8),
                       out=(r.randint(30, 90), r.randint(6000, 40000)),
                       back=(r.randint(30, 90), r.randint(9000, 60000)))
    g.note("lookalike", "lateral_movement", ADDR["cfg"], None, 22,
           "Ansible SSH fan-out to every host")
    g.note("lookalike", "port_sweep", ADDR["cfg"], None, 22,
           "Ansible SSH fan-out to every host")
    # CI deploy at 10:00: 40 SSH/scp connections to web1 within 4 minutes.
    for j in range(40):
        g.conn("cfg", "web1", 22, DAY + 10 * HOUR + 6 * j, dur=r.randint(3, 20),
               out=(r.randint(300, 3000), r.randint(400_000, 4_000_000)),
               back=(r.randint(200, 1000), r.randint(20000, 90000)))
    g.note("lookalike", "brute_force", ADDR["cfg"], ADDR["web1"], 22,
           "CI deploy: 40 scp/ssh sessions in 4 minutes")

    # Internet background scanning: 300 sources, 1-3 probes each, at
    # the public hosts (REJECT, except 443 on the ALB: SYN-ACK then RST).
    ports = [22, 23, 80, 443, 445, 1433, 3306, 3389, 5900, 8080, 8443]
    for s in range(300):
        src = g.pub(2000, 340)
        t = DAY + r.randint(0, 24 * HOUR - 60)
        for q in range(r.randint(1, 3)):
            tgt = r.choice(["web1", "web2", "bastion", "alba", "albb"])
            port = r.choice(ports)
            open_ = (tgt in ("alba", "albb", "web1") and port == 443) or \
                    (tgt == "web2" and port == 22)
            g.conn(src, tgt, port, t + q, out=(1, 40), sport=r.randint(1024, 65535),
                   back=(1, 44) if open_ else None, reject=None if open_ else "in", close=4)
    g.note("lookalike", "port_scan", "198.18.8.0/23", None, None,
           "internet background scanning, 1-3 ports per source")
    g.note("lookalike", "reject_spike", "198.18.8.0/23", None, None,
           "internet background scanning")

    # The spare ENI is idle: NODATA every window all day.
    for k in range(24 * 60):
        g.status("spare", DAY + k * MIN, "NODATA")
    g.note("lookalike", "log_coverage", eni_of("spare")[0], None, None,
           "idle ENI, NODATA all day")


# ---------------------------------------------------------------------------
# Attacks
# ---------------------------------------------------------------------------
def in_baseline(t0, t1):
    """Whether traffic from t0 to t1 lies in the detections' baseline.

    new_destination and unusual_port call a peer or port "new" when it is
    first used at or after the baseline cut, which is the first
    baseline_fraction (0.5) of the data's span: about 12:00 on these days,
    whose records run from 00:00 to 24:00. Traffic that ends before the cut
    is the baseline itself, never new to them. An attack within 5 minutes
    of the cut is refused, so that the answer never hangs on the exact
    first and last record of a day.
    """
    cut = DAY + 12 * HOUR
    if t1 <= cut - 5 * MIN:
        return True
    if t0 >= cut + 5 * MIN:
        return False
    sys.exit("gen.py: an attack at %d-%d straddles the baseline cut (12:00)" % (t0 - DAY, t1 - DAY))


def dns_tunnel_notes(g, host, resolver, text, t0, t1):
    """A DNS tunnel is also a new destination on a port the host never used,
    unless it ran in the baseline half of the day: then only dns_tunnel can
    see it (its resolver and port are part of the baseline)."""
    g.note("attack", "dns_tunnel", ADDR[host], resolver, 53, text)
    if in_baseline(t0, t1):
        g.note("covered_elsewhere", "new_destination", ADDR[host], resolver, 53,
               "DNS tunnel endpoint, contacted in the baseline half only", ("dns_tunnel",))
        g.note("covered_elsewhere", "unusual_port", ADDR[host], resolver, 53,
               "DNS tunnel, in the baseline half only", ("dns_tunnel",))
    else:
        g.note("attack", "new_destination", ADDR[host], resolver, 53, "DNS tunnel endpoint")
        g.note("attack", "unusual_port", ADDR[host], resolver, 53, "DNS tunnel")


def attacks(g):
    r = g.rnd
    A = ADDR

    # port_scan: app5 SYN-scans db1 (nmap -sS: one source port, 44-byte
    # SYNs, a retry on filtered ports) 14:05-14:07. Only 5432 is open to the
    # app subnet.
    t = at("port_scan", 14 * HOUR + 5 * MIN)
    ports = list(range(1, vol("scan_ports", 1024) + 1)) + [1433, 3306, 5432, 6379, 8080, 8443, 9200, 27017]
    r.shuffle(ports)
    for i, p in enumerate(ports):
        ts = t + i * 120 // len(ports)
        if p == 5432:
            g.conn("app5", "db1", p, ts, out=(2, 84), back=(1, 44), sport=47123, close=4)
        else:
            g.conn("app5", "db1", p, ts, out=(2, 88), sport=47123, reject="in")
    g.note("attack", "port_scan", A["app5"], A["db1"], None,
           "SYN scan of %d ports in 2 min, open: 5432" % len(ports))
    g.note("attack", "internal_reject", A["app5"], None, None,
           "compromised app host probing inside the VPC")
    g.note("attack", "reject_spike", A["app5"], None, None,
           "1000+ rejects in one hour, none before")
    # unusual_port reads connections to internet peers only: this scan,
    # inside the VPC, is for the detections that read internal traffic.
    g.note("covered_elsewhere", "unusual_port", A["app5"], None, None,
           "internal scan: ports never used before, no internet peer",
           ("internal_reject", "port_scan", "reject_spike"))
    g.note("attack", "trust_boundary", A["app5"], A["db1"], None,
           "scan from the app zone into the data zone")

    # lateral_movement: app5 tries admin ports on every internal host
    # 14:30-14:36. app hosts accept 22 from their own subnet (sloppy SG);
    # everything else is refused; dc:445 is open to the VPC.
    t = at("lateral", 14 * HOUR + 30 * MIN)
    k = 0
    for h in SERVERS:
        if h == "app5":
            continue
        for p in (22, 445, 3389, 5985):
            ok = (p == 22 and h.startswith("app")) or (h == "dc" and p == 445)
            g.conn("app5", h, p, t + k * 3, out=(3, 180),
                   back=(3, 200) if ok else None, reject=None if ok else "in")
            k += 1
    g.note("attack", "lateral_movement", A["app5"], None, None,
           "admin ports on 14 internal hosts, 55 new edges")
    # Across zones too, but 3 or 4 refused attempts per host: a few
    # refused attempts are low in trust_boundary (sql/README.md, Severity).
    g.note("covered_elsewhere", "trust_boundary", A["app5"], None, None,
           "lateral movement: 3-4 refused attempts per host across zones",
           ("lateral_movement",))

    # port_sweep: app3 sweeps TCP 2375 (Docker API) on 700 internet hosts
    # 15:00-15:20 with masscan-style 40-byte SYNs; 12 answer.
    t = at("sweep", 15 * HOUR)
    nsweep, sweep_secs = vol("sweep_hosts", 700), vol("sweep_secs", 1200)
    for i in range(nsweep):
        dst = "198.18.%d.%d" % (100 + i // 250, 1 + i % 250)
        ans = i % 60 == 7
        g.conn("app3", dst, 2375, t + i * sweep_secs // nsweep, out=(1, 40),
               back=(1, 44) if ans else None, sport=61000, close=4)
    g.note("attack", "port_sweep", A["app3"], None, 2375,
           "masscan of TCP 2375 on %d internet hosts" % nsweep)
    g.note("attack", "new_destination", A["app3"], None, 2375,
           "%d new internet destinations" % nsweep)
    g.note("attack", "unusual_port", A["app3"], None, 2375, "Docker API port")

    # exposed_service: 198.51.100.77 scans web1 (300 ports, 13:10-13:14);
    # 443 is meant to be public, 9200 (Elasticsearch) is open by mistake.
    # Three background scanners also find 9200 during the day.
    scanner = "198.51.100.77"
    t = at("exposed", 13 * HOUR + 10 * MIN)
    ports = list(range(1, vol("exposed_ports", 280) + 1)) + [443, 3306, 5432, 6379, 8080, 8443, 9200, 9300,
                                   11211, 27017, 5601, 2375, 1433, 3389, 5900,
                                   5985, 6443, 7001, 8000, 8888]
    for i, p in enumerate(ports):
        ts = t + i * 240 // len(ports)
        if p in (443, 9200):
            g.conn(scanner, "web1", p, ts, out=(3, 180), back=(3, 520), close=4)
        else:
            g.conn(scanner, "web1", p, ts, out=(1, 44), reject="in",
                   sport=51000 + i % 3)
    for j in range(3):
        g.conn("198.18.12.%d" % (11 + j), "web1", 9200, DAY + (3 + 6 * j) * HOUR,
               out=(5, 400), back=(5, 1900))
    g.note("attack", "exposed_service", scanner, A["web1"], 9200,
           "Elasticsearch open to the internet, found by a scanner")
    g.note("attack", "port_scan", scanner, A["web1"], None,
           "internet scanner, %d ports" % len(ports))

    # brute_force: 203.0.113.99 tries SSH logins on web2 (22 open to the
    # world by mistake) 12:00-13:00, 900 attempts, 12-30 packets each.
    att = "203.0.113.99"
    nbrute = vol("brute_n", 900)
    for i in range(nbrute):
        ts = at("brute", 12 * HOUR) + i * vol("brute_gap", 4)
        n = r.randint(12, 30)
        g.conn(att, "web2", 22, ts, dur=r.randint(1, 3),
               out=(n, n * 95 + r.randint(0, 300)), back=(n - 2, (n - 2) * 110))
    g.note("attack", "brute_force", att, A["web2"], 22, "%d SSH login attempts in %s" % (
               nbrute, "1 h" if nbrute * vol("brute_gap", 4) == HOUR
               else "%d min" % (nbrute * vol("brute_gap", 4) // 60)))
    g.note("attack", "exposed_service", None, A["web2"], 22,
           "SSH open to the world by mistake, found by the brute force")

    # exfiltration: db1 uploads 2.5 GB to 198.51.100.150:443 16:00-16:30.
    xp, xb = vol("exfil", (1_800_000, 2_500_000_000))
    xs = vol("exfil_secs", 1800)
    g.conn("db1", "198.51.100.150", 443, at("exfil", 16 * HOUR) + 20, dur=xs,
           out=(xp, xb), back=(xp // 3, 1_000_000))
    g.note("attack", "exfiltration", A["db1"], "198.51.100.150", 443,
           "%.1f GB uploaded in %d min" % (xb / 1e9, xs // 60))
    g.note("attack", "new_destination", A["db1"], "198.51.100.150", 443,
           "exfiltration to a never-seen address")

    # beaconing: app2 -> 203.0.113.66:8443 every 300 s +-5 %, 06:00-24:00.
    t = at("beacon", 6 * HOUR + 17)
    every = vol("beacon_every", 300)
    while t < DAY + 24 * HOUR - 30:
        g.conn("app2", "203.0.113.66", 8443, t, dur=1,
               out=(7, 1180 + r.randint(0, 60)), back=(6, 3050 + r.randint(0, 80)))
        t += int(round(g.jit(every, 0.05)))
    g.note("attack", "beaconing", A["app2"], "203.0.113.66", 8443,
           "C2 check-in every %d s +-5 %%" % every)
    g.note("attack", "threat_list_match", A["app2"], "203.0.113.66", 8443,
           "C2 address from a threat feed")

    # dns_tunnel, slow and chatty: app2 (the beaconing host) tunnels through
    # 203.0.113.53:53 09:00-09:12, 1,500 small queries a minute (150 KB:
    # under the bytes gate, over the query-rate gate).
    t = at("dns_slow", 9 * HOUR + 2)
    g.conn("app2", "203.0.113.53", 53, t, dur=720, proto=17,
           sport=40053, out=(18000, 1_800_000), back=(18000, 2_700_000))
    dns_tunnel_notes(g, "app2", "203.0.113.53",
                     "1,500 queries a minute to an external resolver for 12 min", t, t + 720)

    # dns_tunnel over TCP: cache opens 20 connections a minute to
    # 198.51.100.99:53 22:00-22:05, 25 KB each (dnscat2-style, 500 KB/min).
    t = at("dns_tcp", 22 * HOUR)
    for i in range(100):
        g.conn("cache", "198.51.100.99", 53, t + i * 3, dur=2,
               out=(40, 25_000), back=(38, 6_000))
    dns_tunnel_notes(g, "cache", "198.51.100.99",
                     "DNS over TCP, 500 KB a minute for 5 min", t, t + 99 * 3 + 2)

    # dns_tunnel: app4 -> 198.51.100.53:53 18:00-18:20, one source port,
    # 2,400 queries and 420 KB a minute.
    t = at("dns_fast", 18 * HOUR + 3)
    g.conn("app4", "198.51.100.53", 53, t, dur=1200, proto=17,
           sport=53535, out=(48000, 8_400_000), back=(48000, 6_000_000))
    dns_tunnel_notes(g, "app4", "198.51.100.53",
                     "420 KB/min of DNS to an external resolver", t, t + 1200)

    # icmp_tunnel_tor: es pings 198.51.100.44 with 1,000-byte packets
    # 17:00-17:40; cache talks to a Tor relay 203.0.113.91:9001 19:30-21:30.
    g.conn("es", "198.51.100.44", 0, at("icmp", 17 * HOUR) + 40, dur=2400, proto=1,
           out=(12000, 12_000_000), back=(12000, 12_000_000))
    g.note("attack", "icmp_tunnel_tor", A["es"], "198.51.100.44", None,
           "ICMP tunnel, 1000-byte echo packets")
    g.conn("cache", "203.0.113.91", 9001, at("tor", 19 * HOUR + 30 * MIN), dur=2 * HOUR,
           out=(40000, 30_000_000), back=(50000, 55_000_000))
    g.note("attack", "icmp_tunnel_tor", A["cache"], "203.0.113.91", 9001,
           "Tor relay connection for 2 h")

    # dos: app1 floods 203.0.113.150 UDP/80 20:00-20:10 (8 source ports);
    # a SYN flood from 500 spoofed sources hits web1:443 21:00-21:01.
    nudp, udp_pk = vol("udp_sources", 8), vol("udp_pk", 75000)
    for s in range(nudp):
        g.conn("app1", "203.0.113.150", 80, at("udp_flood", 20 * HOUR) + s, dur=600, proto=17,
               sport=40000 + s, out=(udp_pk, udp_pk * 1000), back=None)
    g.note("attack", "dos", A["app1"], "203.0.113.150", 80,
           "outbound UDP flood on a TCP port, %dk packets" % (nudp * udp_pk // 1000))
    g.note("attack", "unusual_port", A["app1"], "203.0.113.150", 80, "UDP to port 80")
    g.note("attack", "new_destination", A["app1"], "203.0.113.150", 80,
           "flood target, never seen before")
    g.note("attack", "exfiltration", A["app1"], "203.0.113.150", 80,
           "outbound UDP flood: %.2f GB one way to a never-seen address" % (nudp * udp_pk * 1000 / 1e9))
    nsyn = vol("syn_sources", 500)
    for i in range(nsyn):
        src = "198.18.%d.%d" % (20 + i // 250, 1 + i % 250)
        n = r.randint(1, 3)
        g.conn(src, "web1", 443, at("syn_flood", 21 * HOUR) + i * 55 // nsyn,
               out=(n, 40 * n), back=None, sport=r.randint(1024, 65535))
    g.note("attack", "dos", None, A["web1"], 443, "SYN flood from %d sources in a minute" % nsyn)

    # reject_spike: es tries 450 blocked outbound connections 19:00-19:20.
    nblk = vol("blocked", 450)
    for i in range(nblk):
        g.conn("es", "203.0.113.%d" % (100 + i % 50), 4444 + i % 3,
               at("blocked", 19 * HOUR) + i * 1200 // nblk, out=(1, 60), reject="out")
    g.note("attack", "reject_spike", A["es"], None, None,
           "%d blocked outbound connections in 20 min" % nblk)
    g.note("attack", "internal_reject", A["es"], None, None,
           "%d blocked outbound connections" % nblk)

    # unusual_port: app1 sends mail (SMTP 25) to 12 servers 17:00-17:30.
    nsrv = vol("smtp_servers", 12)
    for ts in sorted(r.randint(0, 1800) for i in range(vol("smtp", 150))):
        g.conn("app1", "198.51.100.%d" % (25 + r.randrange(nsrv)), 25, at("smtp", 17 * HOUR) + ts,
               dur=r.randint(2, 6), out=(r.randint(12, 20), r.randint(4000, 9000)),
               back=(r.randint(10, 16), r.randint(900, 1500)))
    g.note("attack", "unusual_port", A["app1"], None, 25, "spambot: SMTP to %d servers" % nsrv)
    # each mail server gets a dozen small connections: a new peer called a
    # few times with little data is low in new_destination (by design)
    g.note("covered_elsewhere", "new_destination", A["app1"], None, 25,
           "spambot: a few KB to each of %d new mail servers" % nsrv, ("unusual_port",))

    # threat_list_match: cache mines crypto at a pool 198.51.100.180:3333
    # from 18:00 (on the IOC list as 198.51.100.176/28); the Tor relay is
    # listed too; an IOC scanner is refused at web1 (look-alike).
    g.conn("cache", "198.51.100.180", 3333, at("mining", 18 * HOUR + 11), dur=6 * HOUR - 60,
           out=(6 * 60 * 40, 6 * 60 * 9000), back=(6 * 60 * 40, 6 * 60 * 11000), close=0)
    g.note("attack", "threat_list_match", A["cache"], "198.51.100.180", 3333,
           "crypto-mining pool on the IOC list")
    g.note("attack", "threat_list_match", A["cache"], "203.0.113.91", 9001,
           "Tor relay on the IOC list")
    g.note("attack", "new_destination", A["cache"], "198.51.100.180", 3333, "mining pool")
    g.note("attack", "new_destination", A["cache"], "203.0.113.91", 9001, "Tor relay")
    g.note("attack", "new_destination", A["es"], "198.51.100.44", None, "ICMP tunnel")
    g.note("attack", "unusual_port", A["cache"], None, None, "mining and Tor ports")
    g.note("attack", "unusual_port", A["db1"], "198.51.100.150", 443, "exfiltration port")
    g.note("attack", "unusual_port", A["es"], None, None, "ICMP tunnel and blocked ports")
    for j in range(4):
        g.conn("203.0.113.200", "web1", (22, 3389, 23, 445)[j], at("ioc_scan", 5 * HOUR) + j,
               out=(1, 44), reject="in")
    g.note("lookalike", "threat_list_match", "203.0.113.200", A["web1"], None,
           "listed scanner, every probe refused")

    # trust_boundary: web2 (dmz) talks straight to db1:5432 at 13:30.
    for i in range(vol("trust_n", 20)):
        g.conn("web2", "db1", 5432, at("trust", 13 * HOUR + 30 * MIN) + i * 20, dur=5,
               out=(40, 20000), back=(400, 5_000_000))
    g.note("attack", "trust_boundary", A["web2"], A["db1"], 5432,
           "dmz host reads the database directly")

    # log_coverage: es loses its records 11:00-11:20 (SKIPDATA).
    nskip = vol("skip_es", 20)
    for k in range(nskip):
        g.status("es", at("skip_es", 11 * HOUR) + k * MIN, "SKIPDATA")
    g.note("attack", "log_coverage", eni_of("es")[0], None, None,
           "%d minutes of SKIPDATA" % nskip)
    # ... the NAT gateway's ENI drops records for 5 minutes at the top of
    # the DoS hour (SKIPDATA under load) ...
    for k in range(5):
        g.status("nat", at("skip_nat", 20 * HOUR) + k * MIN, "SKIPDATA")
    g.note("attack", "log_coverage", eni_of("nat")[0], None, None,
           "5 minutes of SKIPDATA at the NAT gateway")
    # ... and web2's flow log is deleted 14:00-16:00 and made again (T1562.008):
    # its ENI writes nothing at all, not even NODATA, for two hours.
    g.silence("web2", at("silence", 14 * HOUR), at("silence", 14 * HOUR) + 2 * HOUR)
    g.note("attack", "log_coverage", eni_of("web2")[0], None, None,
           "flow log deleted for 2 hours")


def flood(g):
    """The completed-connection flood (T1498/T1499) and its look-alike.

    Flood: F["sources"] internet addresses never seen before each open one
    full TCP connection (10-120 packets each way, SYN|FIN = 3 at the client,
    SYN-ACK|FIN = 19 at the server) to one load balancer's web port within
    F["secs"] seconds, where that port normally sees a new client every
    minute or two. Look-alike: a flash crowd at the other load balancer,
    browsers arriving at a rate that ramps up over F["crowd_ramp"] minutes
    to F["crowd_peak"] a minute, holds, then decays; each browser loads 1-4
    pages 20-90 s apart over one or two connections (HTTP/2), small
    requests, large answers. The load balancer keeps pooled keep-alive
    connections to its targets, so both add a few long backend connections,
    not one per client.
    """
    r = g.rnd
    F = P["flood"]
    apps = ["app1", "app2", "app3", "app4"]
    pa, pb, pc = F["pool"]

    def addr(base, i):
        return "%d.%d.%d.%d" % (pa, pb, base + i // 250, 1 + i % 250)

    t0 = DAY + F["at"]
    n = F["sources"]
    for i in range(n):
        k = r.randint(10, 120)
        g.conn(addr(pc, i), F["target"], F["port"], t0 + i * F["secs"] // n,
               dur=r.randint(1, 8), out=(k, k * 70 + r.randint(200, 900)),
               back=(k + r.randint(0, 6), k * 1100 + r.randint(0, 4000)))
    for app in apps:
        g.conn(F["target"], app, 8080, t0 + 3, dur=F["secs"] + 30,
               out=(n * 8, n * 6000), back=(n * 10, n * 12000))
    g.note("attack", "dos", None, ADDR[F["target"]], F["port"],
           "HTTP flood: %d new sources complete connections in %d s" % (n, F["secs"]))

    # flash crowd: arrivals per minute ramp, hold, decay
    t0 = DAY + F["crowd_at"]
    ramp, hold, peak = F["crowd_ramp"], F["crowd_len"] - F["crowd_ramp"], F["crowd_peak"]
    decay = 10
    i = 0
    for k in range(ramp + hold + decay):
        if k < ramp:
            rate = peak * (k + 1) / ramp
        elif k < ramp + hold:
            rate = peak
        else:
            rate = peak * (ramp + hold + decay - k) / (decay + 1)
        arrivals = max(0, int(round(r.gauss(rate, rate ** 0.5))))
        for j in range(arrivals):
            src = addr(pc + 70, i)
            i += 1
            t = t0 + k * MIN + r.randint(0, 59)
            for v in range(r.choice((1, 1, 2, 2, 3, 4))):
                for c in range(1 if r.random() < 0.7 else 2):
                    g.conn(src, F["crowd"], 443, t + c, dur=r.randint(1, 15),
                           out=(r.randint(12, 40), r.randint(1500, 6000)),
                           back=(r.randint(20, 200), r.randint(30000, 250000)))
                t += r.randint(20, 90)
    span = ramp + hold + decay + 2
    for app in apps:
        g.conn(F["crowd"], app, 8080, t0 + 5, dur=span * MIN,
               out=(i * 20, i * 9000), back=(i * 40, i * 180000), close=0)
    g.note("lookalike", "dos", None, ADDR[F["crowd"]], 443,
           "flash crowd: %d browsers, arrivals ramping up over %d min" % (i, ramp))


def context():
    """The user-supplied tables of the day (ioc, zones, allowed)."""
    sn = {k: v[3] for k, v in P["subnets"].items()}
    ioc = [("198.51.100.176/28", "crypto-mining pool"), ("203.0.113.91", "Tor relay"),
           ("203.0.113.200", "known scanner"), ("203.0.113.66", "C2 server (threat feed)")]
    ioc = [(X(a), n) for a, n in ioc]
    return """\
-- The scenario's user-supplied tables (written by tests/scenario/gen.py).
-- threat_list_match reads ioc; trust_boundary reads zones and allowed.
CREATE TEMP TABLE IF NOT EXISTS ioc(addr TEXT, note TEXT);
INSERT INTO ioc VALUES
%s;
CREATE TEMP TABLE IF NOT EXISTS zones(cidr TEXT, zone TEXT);
INSERT INTO zones VALUES
  ('%s.0/24', 'dmz'), ('%s.0/24', 'dmz'), ('%s.0/24', 'app'),
  ('%s.0/24', 'data'), ('%s.0/24', 'mgmt');
CREATE TEMP TABLE IF NOT EXISTS allowed(src_zone TEXT, dst_zone TEXT, port INTEGER);
INSERT INTO allowed VALUES
  ('dmz', 'app', 8080), ('app', 'data', 5432), ('app', 'data', 6379),
  ('app', 'data', 9200), ('app', 'app', NULL),
  ('mgmt', '*', 22), ('mgmt', '*', 9100), ('mgmt', '*', 6380),
  ('dmz', '*', 22), ('*', 'mgmt', 88), ('*', 'mgmt', 389), ('*', 'mgmt', 445);
""" % (",\n".join("  ('%s', '%s')" % x for x in ioc), sn["public-a"], sn["public-b"],
       sn["app"], sn["data"], sn["mgmt"])


def fmt(v):
    return "-" if v is None else str(v)


def write(outdir, recs, fields, flowlog):
    n = len(fields)
    y, mo, d = P["date"]
    folder = os.path.join(outdir, "AWSLogs", ACCOUNT, "vpcflowlogs", REGION,
                          "%04d" % y, "%02d" % mo, "%02d" % d)
    os.makedirs(folder, exist_ok=True)
    hours = {}
    for rec in recs:
        hours.setdefault((rec[11] - DAY) // HOUR, []).append(rec)
    for hh in sorted(hours):
        rows = sorted(hours[hh], key=lambda x: (x[10], x[2], fmt(x[3]), fmt(x[5])))
        text = io.StringIO()
        text.write(" ".join(fields) + "\n")
        for rec in rows:
            text.write(" ".join(fmt(v) for v in rec[:n]) + "\n")
        name = "%s_vpcflowlogs_%s_%s_%04d%02d%02dT%02d00Z_%08x.log.gz" % (
            ACCOUNT, REGION, flowlog, y, mo, d, hh, (hh * 2654435761) & 0xffffffff)
        with open(os.path.join(folder, name), "wb") as f:
            with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0,
                               compresslevel=9) as z:
                z.write(text.getvalue().encode())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--day", type=int, default=1, choices=sorted(PROFILES),
                    help="which scenario day (network, times, volumes, seed)")
    ap.add_argument("--seed", type=int, help="override the day's seed")
    args = ap.parse_args()
    configure(args.day)
    seed = P["seed"] if args.seed is None else args.seed
    g = Gen(seed)
    benign(g)
    attacks(g)
    # The completed-connection flood and its look-alike draw from their own
    # stream, so adding them left every other record of day 1 unchanged.
    g.rnd = random.Random(seed * 31 + 14)
    flood(g)
    recs = [r for r in g.recs if DAY <= r[11] < DAY + 24 * HOUR and g.kept(r)]
    write(os.path.join(args.outdir, "v5"), recs, V5_FIELDS, P["fl5"])
    write(os.path.join(args.outdir, "v2"), recs, V2_FIELDS, P["fl2"])
    with open(os.path.join(args.outdir, "truth.tsv"), "w") as f:
        f.write("kind\tdetection\tsrc\tdst\tport\tcovered_by\tnote\n")
        for row in sorted(set(g.truth)):
            f.write("\t".join(row) + "\n")
    with open(os.path.join(args.outdir, "context.sql"), "w") as f:
        f.write(context())
    print("%d records" % len(recs), file=sys.stderr)


if __name__ == "__main__":
    main()
