#!/usr/bin/python3
"""ospf-inject: a minimal OSPFv2 speaker that floods a synthetic grid.

Runs in a network namespace joined to the router under test by one
point-to-point link (``ip ospf network point-to-point``, area 0, no
authentication).  It forms a real adjacency (RFC 2328 section 10): hellos,
the master/slave database description exchange, link state requests and
updates both ways, acknowledgements; then, on the command ``go`` on its
standard input, floods a grid of N routers as router-LSAs, one stub
network per router (consecutive /32s from --prefix), and optionally the
same prefixes again as AS-external (type-5) LSAs of the injector.

Everything it floods is encoded before ``go``: inside the measured window
the injector only calls sendto(), a few milliseconds for 10,000 LSAs, so
Python is fast enough and its speed is never what the benchmark measures.

Protocol (one JSON object per line on standard output)::

    {"event": "full", ...}          adjacency Full on our side
    {"event": "flooded", "t_first": T, "t_last": T, ...}
                                    after ``go``: CLOCK_MONOTONIC of the
                                    first and the last LSU of the flood
    {"event": "acked", "t": T, ...} every flooded LSA acknowledged
    {"event": "stats", ...}         on ``stats`` (retransmissions etc.)

It exits on ``quit`` or end of input.  It is a load generator: it keeps
no LSDB beyond what it needs for the exchange and never runs SPF.
"""

import argparse
import ipaddress
import json
import os
import select
import socket
import struct
import sys
import time

ALL_SPF = "224.0.0.5"
PROTO_OSPF = 89
HELLO, DBD, LSR, LSU, LSACK = 1, 2, 3, 4, 5
OPT_E = 0x02
DBD_I, DBD_M, DBD_MS = 0x04, 0x02, 0x01
LINK_P2P, LINK_STUB = 1, 3
MAX_AGE = 3600
IP_MULTICAST_ALL = 49


def ip2i(s):
    return int(ipaddress.IPv4Address(s))


def i2ip(i):
    return str(ipaddress.IPv4Address(i))


def inet_cksum(data):
    """The IP one's-complement checksum (RFC 1071)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def fletcher(lsa):
    """LSA checksum (RFC 2328 section 12.1.7: ISO 8473 Fletcher over the
    LSA without its age, checksum field at octet 16); LSA has it zero."""
    data = lsa[2:]
    n = len(data)
    c0 = sum(data) % 255
    c1 = sum((n - i) * b for i, b in enumerate(data)) % 255
    x = ((n - 14 - 1) * c0 - c1) % 255
    if x == 0:
        x = 255
    y = (510 - c0 - x) % 255
    if y == 0:
        y = 255
    return lsa[:16] + bytes((x, y)) + lsa[18:]


def lsa(ls_type, ls_id, adv, seq, body, age=0, options=OPT_E):
    hdr = struct.pack("!HBBIIiHH", age, options, ls_type, ls_id, adv, seq,
                      0, 20 + len(body))
    return fletcher(hdr + body)


def router_lsa(rid, seq, links, flags=0):
    """LINKS: [(type, id, data, metric)] (RFC 2328 A.4.2); FLAGS 0x02 is
    the E bit (an AS boundary router)."""
    body = struct.pack("!BBH", flags, 0, len(links))
    for t, lid, ldata, metric in links:
        body += struct.pack("!IIBBH", lid, ldata, t, 0, metric)
    return lsa(1, rid, rid, seq, body)


def external_lsa(adv, seq, prefix, mask, metric):
    """Type-5, E-bit (type 2 metric), no forwarding address (A.4.5)."""
    body = struct.pack("!IBBHII", mask, 0x80, (metric >> 16) & 0xFF,
                       metric & 0xFFFF, 0, 0)
    return lsa(5, prefix, adv, seq, body)


def lsa_key(buf):
    """(type, id, adv) of the LSA header at the start of BUF."""
    return struct.unpack("!xxxBII", buf[:12])


def lsa_seq(buf):
    return struct.unpack("!i", buf[12:16])[0]


class Grid:
    """The synthetic topology: N routers in a grid of COLS columns.

    Router k (0-based) has router ID --rid-base + k + 1, point-to-point
    links (unnumbered: link data is an ifindex) to its left, right, upper
    and lower neighbours, and one stub network, PREFIX + k with the given
    length.  Router 0 is also linked to the injector.
    """

    def __init__(self, n, rid_base, prefix, plen, cost, injector_rid):
        self.n = n
        self.cols = max(1, int(round(n ** 0.5)))
        self.rid_base = rid_base
        self.prefix, self.plen = prefix, plen
        self.cost = cost
        self.inj = injector_rid
        self.mask = (0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF

    def rid(self, k):
        return self.rid_base + k + 1

    def net(self, k):
        return self.prefix + (k << (32 - self.plen))

    def neighbours(self, k):
        out = []
        r, c = divmod(k, self.cols)
        if c > 0:
            out.append(k - 1)
        if c + 1 < self.cols and k + 1 < self.n:
            out.append(k + 1)
        if r > 0:
            out.append(k - self.cols)
        if k + self.cols < self.n:
            out.append(k + self.cols)
        return out

    def router_lsas(self, seq, stubs=True):
        out = []
        for k in range(self.n):
            links = [(LINK_P2P, self.rid(j), j + 1, self.cost)
                     for j in self.neighbours(k)]
            if k == 0:
                links.append((LINK_P2P, self.inj, 0xFFFF, self.cost))
            if stubs:
                links.append((LINK_STUB, self.net(k), self.mask, 1))
            out.append(router_lsa(self.rid(k), seq, links))
        return out

    def external_lsas(self, seq, metric=20):
        return [external_lsa(self.inj, seq, self.net(k), self.mask, metric)
                for k in range(self.n)]


class Injector:
    def __init__(self, a):
        self.a = a
        self.ifname = a.ifname
        self.ifindex = socket.if_nametoindex(a.ifname)
        self.addr = ip2i(a.address.split("/")[0])
        self.plen = int(a.address.split("/")[1])
        self.rid = ip2i(a.router_id)
        self.mtu = a.mtu
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, PROTO_OSPF)
        s = self.sock
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE,
                     self.ifname.encode())
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8 << 20)
        mreqn = struct.pack("=4s4si", socket.inet_aton(ALL_SPF),
                            socket.inet_aton(i2ip(self.addr)), self.ifindex)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreqn)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, mreqn)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        s.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_ALL, 0)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, 0xC0)
        s.setblocking(False)
        # Neighbour state (RFC 2328 section 10.1, as far as we need it).
        self.nbr = None                 # its router ID once heard
        self.nbr_addr = None
        self.state = "Down"
        self.master = False
        self.dd_seq = int(time.time()) & 0x7FFFFFFF
        self.last_dbd = None            # our last DBD (the slave resends it)
        self.t_dbd = 0.0
        self.dbd_todo = []              # our headers still to describe
        self.nbr_more = True
        self.requests = {}              # key -> header we want
        self.lsr_sent_at = 0.0
        self.lsr_keys = set()
        self.t_hello = 0.0
        self.counts = {"rx": {}, "tx": {}, "bad": 0, "retransmitted": 0,
                       "send_errors": 0,
                       "acks_received": 0, "acks_sent": 0}
        # Our own router-LSA: the link to the router under test, our
        # network as a stub, the link into the grid.
        self.grid = Grid(a.n, ip2i(a.rid_base), ip2i(a.prefix.split("/")[0]),
                         int(a.prefix.split("/")[1]), a.cost, self.rid)
        self.own = {}                   # key -> LSA bytes (ours, grid)
        self.flood = []                 # the LSAs of 'go', in order
        self.unacked = {}               # key -> (LSA, sent at)
        self.t_acked = None
        self.flooded = False
        self.my_seq = -0x7FFFFFFF           # InitialSequenceNumber

    # --- packets ----------------------------------------------------------

    def packet(self, ptype, body):
        hdr = struct.pack("!BBHII", 2, ptype, 24 + len(body), self.rid, 0)
        pkt = hdr + b"\0\0" + b"\0\0" + b"\0" * 8 + body
        ck = inet_cksum(pkt)
        return pkt[:12] + struct.pack("!H", ck) + pkt[14:]

    def send(self, ptype, body):
        pkt = self.packet(ptype, body)
        while True:
            try:
                self.sock.sendto(pkt, (ALL_SPF, 0))
                break
            except BlockingIOError:
                select.select([], [self.sock], [], 1.0)
            except OSError:
                # Link down, no buffer: lost like a dropped packet; the
                # retransmission timers recover, as on a real link.
                self.counts["send_errors"] += 1
                return
        c = self.counts["tx"]
        c[ptype] = c.get(ptype, 0) + 1

    def send_hello(self):
        mask = (0xFFFFFFFF << (32 - self.plen)) & 0xFFFFFFFF
        body = struct.pack("!IHBBIII", mask, self.a.hello, OPT_E, 0,
                           self.a.dead, 0, 0)
        if self.nbr is not None:
            body += struct.pack("!I", self.nbr)
        self.send(HELLO, body)
        self.t_hello = time.monotonic()

    def lsu_packets(self, lsas):
        """Pack LSAS into as few LSUs as the MTU allows."""
        room = self.mtu - 20 - 24 - 4
        out, cur, size = [], [], 0
        for x in lsas:
            if cur and size + len(x) > room:
                out.append(struct.pack("!I", len(cur)) + b"".join(cur))
                cur, size = [], 0
            cur.append(x)
            size += len(x)
        if cur:
            out.append(struct.pack("!I", len(cur)) + b"".join(cur))
        return out

    def send_lsus(self, lsas):
        for body in self.lsu_packets(lsas):
            self.send(LSU, body)

    def send_acks(self, headers):
        room = (self.mtu - 20 - 24) // 20
        for i in range(0, len(headers), room):
            self.send(LSACK, b"".join(headers[i:i + room]))
            self.counts["acks_sent"] += 1

    # --- database description (RFC 2328 section 10.6, 10.8) ---------------

    def dbd(self, flags, headers):
        body = struct.pack("!HBBI", self.mtu, OPT_E, flags, self.dd_seq)
        return body + b"".join(headers)

    def send_dbd(self, flags, headers=()):
        self.last_dbd = self.dbd(flags, list(headers))
        self.send(DBD, self.last_dbd)
        self.t_dbd = time.monotonic()

    def next_headers(self):
        room = (self.mtu - 20 - 24 - 8) // 20
        chunk, self.dbd_todo = self.dbd_todo[:room], self.dbd_todo[room:]
        return [x[:20] for x in chunk]

    def start_exstart(self):
        self.state = "ExStart"
        self.dbd_todo = list(self.own.values())
        self.requests = {}
        self.nbr_more = True
        self.dd_seq = (self.dd_seq + 1) & 0x7FFFFFFF
        self.send_dbd(DBD_I | DBD_M | DBD_MS)

    def rx_dbd(self, rid, body):
        if len(body) < 8:
            self.counts["bad"] += 1
            return
        _mtu, _opt, flags, seq = struct.unpack("!HBBI", body[:8])
        headers = [body[i:i + 20] for i in range(8, len(body) - 19, 20)]
        if self.state in ("Down", "Init"):
            return
        if self.state == "2-Way":
            self.start_exstart()
        if self.state == "ExStart":
            if flags & (DBD_I | DBD_M | DBD_MS) == DBD_I | DBD_M | DBD_MS \
                    and not headers and rid > self.rid:
                self.master, self.dd_seq = False, seq      # we are slave
            elif not flags & (DBD_I | DBD_MS) and seq == self.dd_seq \
                    and rid < self.rid:
                self.master = True                         # we are master
            else:
                return
            self.state = "Exchange"
            if self.master:
                self.take_headers(headers, flags)
                self.master_next()
                return
            self.send_dbd(DBD_M if self.dbd_todo else 0, self.next_headers())
            return
        if self.state != "Exchange":
            # A duplicate from the master after the exchange: the slave
            # answers with its last packet (section 10.8).
            if not self.master and seq == self.dd_seq and self.last_dbd:
                self.send(DBD, self.last_dbd)
            return
        if self.master:
            if seq != self.dd_seq or flags & DBD_MS:
                return
            self.take_headers(headers, flags)
            self.master_next()
            return
        if seq == self.dd_seq:
            self.send(DBD, self.last_dbd)       # duplicate: resend
            return
        if seq != (self.dd_seq + 1) & 0xFFFFFFFF or not flags & DBD_MS:
            self.start_exstart()                # SeqNumberMismatch
            return
        self.dd_seq = seq
        self.take_headers(headers, flags)
        hdrs = self.next_headers()
        more = bool(self.dbd_todo)
        self.send_dbd(DBD_M if more else 0, hdrs)
        if not more and not self.nbr_more:
            self.exchange_done()

    def master_next(self):
        if not self.dbd_todo and not self.nbr_more and \
                self.last_dbd is not None and \
                not struct.unpack("!B", self.last_dbd[3:4])[0] & DBD_M:
            self.exchange_done()
            return
        self.dd_seq = (self.dd_seq + 1) & 0x7FFFFFFF
        hdrs = self.next_headers()
        self.send_dbd(DBD_MS | (DBD_M if self.dbd_todo else 0), hdrs)

    def take_headers(self, headers, flags):
        self.nbr_more = bool(flags & DBD_M)
        for h in headers:
            k = lsa_key(h)
            if k not in self.own:
                self.requests[k] = h

    def exchange_done(self):
        self.state = "Loading"
        self.send_lsr()

    def send_lsr(self):
        if not self.requests:
            self.become_full()
            return
        # One request outstanding at a time: the next goes when this one
        # is answered, or at the retransmission interval (section 10.9).
        room = (self.mtu - 20 - 24) // 12
        self.lsr_keys = set(list(self.requests)[:room])
        self.send(LSR, b"".join(struct.pack("!III", *k)
                                for k in self.lsr_keys))
        self.lsr_sent_at = time.monotonic()

    def become_full(self):
        if self.state != "Full":
            self.state = "Full"
            # Our router-LSA now lists the point-to-point link to the
            # neighbour (RFC 2328 section 12.4.1.1: link data is our
            # address), with the link into the grid and our stub network.
            self.originate_self(self.my_seq + 1)
            self.emit({"event": "full", "neighbor": i2ip(self.nbr)})

    # --- the rest of the packet types ----------------------------------------

    def rx_hello(self, rid, src, body):
        if len(body) < 20:
            self.counts["bad"] += 1
            return
        hello, dead = struct.unpack("!4xHxxI", body[:12])
        if hello != self.a.hello or dead != self.a.dead:
            self.counts["bad"] += 1
            return
        nbrs = [struct.unpack("!I", body[i:i + 4])[0]
                for i in range(20, len(body) - 3, 4)]
        new = self.nbr is None
        self.nbr, self.nbr_addr = rid, src
        if self.state == "Down":
            self.state = "Init"
        if self.rid in nbrs and self.state == "Init":
            self.state = "2-Way"
            self.start_exstart()        # point-to-point: always adjacent
        elif self.rid not in nbrs and self.state not in ("Down", "Init"):
            self.state = "Init"         # 1-WayReceived
        if new:
            self.send_hello()

    def rx_lsr(self, body):
        want = [struct.unpack("!III", body[i:i + 12])
                for i in range(0, len(body) - 11, 12)]
        out = [self.own[k] for k in want if k in self.own]
        if out:
            self.send_lsus(out)

    def rx_lsu(self, body):
        if len(body) < 4:
            self.counts["bad"] += 1
            return
        count = struct.unpack("!I", body[:4])[0]
        off, acks = 4, []
        for _ in range(count):
            if off + 20 > len(body):
                self.counts["bad"] += 1
                break
            length = struct.unpack("!H", body[off + 18:off + 20])[0]
            x = body[off:off + length]
            off += max(length, 20)
            k = lsa_key(x)
            acks.append(x[:20])
            self.requests.pop(k, None)
            if k in self.own and lsa_seq(x) >= lsa_seq(self.own[k]) and \
                    struct.unpack("!H", x[:2])[0] < MAX_AGE:
                # Our own LSA with a newer instance than we sent (a
                # leftover of an earlier run): outdo it (section 13.4).
                self.reoriginate(k, lsa_seq(x) + 1)
        if acks:
            self.send_acks(acks)        # direct acknowledgement
        if self.state == "Loading" and \
                not self.lsr_keys.intersection(self.requests):
            self.send_lsr()             # answered: the next, or Full

    def rx_ack(self, body):
        for i in range(0, len(body) - 19, 20):
            h = body[i:i + 20]
            k = lsa_key(h)
            x = self.unacked.get(k)
            if x is not None and lsa_seq(h) == lsa_seq(x[0]):
                del self.unacked[k]
                self.counts["acks_received"] += 1
        if self.flooded and not self.unacked and self.t_acked is None:
            self.t_acked = time.monotonic()
            self.emit({"event": "acked", "t": self.t_acked})

    def reoriginate(self, k, seq):
        t, lid, adv = k
        if k == (1, self.rid, self.rid):
            self.originate_self(seq)
            return
        old = self.own[k]
        new = lsa(t, lid, adv, seq, old[20:], options=old[2])
        self.own[k] = new
        if k in self.unacked:
            self.unacked[k] = (new, time.monotonic())
        if self.state == "Full":
            self.send_lsus([new])

    def receive(self, budget=256):
        """Read and handle up to BUDGET packets (hellos must still go out
        on time when the neighbour sends a lot)."""
        for _ in range(budget):
            try:
                pkt, (src, _) = self.sock.recvfrom(65535)
            except BlockingIOError:
                return
            ihl = (pkt[0] & 0x0F) * 4
            o = pkt[ihl:]
            if len(o) < 24:
                self.counts["bad"] += 1
                continue
            ver, ptype, plen, rid, area = struct.unpack("!BBHII", o[:12])
            if ver != 2 or area != 0 or plen > len(o) or plen < 24 or \
                    inet_cksum(o[:16] + o[24:plen]) != 0 and \
                    inet_cksum(o[:plen]) != 0:
                self.counts["bad"] += 1
                continue
            c = self.counts["rx"]
            c[ptype] = c.get(ptype, 0) + 1
            body = o[24:plen]
            src = ip2i(src)
            if ptype == HELLO:
                self.rx_hello(rid, src, body)
            elif rid != self.nbr:
                continue
            elif ptype == DBD:
                self.rx_dbd(rid, body)
            elif ptype == LSR:
                self.rx_lsr(body)
            elif ptype == LSU:
                self.rx_lsu(body)
            elif ptype == LSACK:
                self.rx_ack(body)

    # --- the flood ------------------------------------------------------------

    def originate_self(self, seq):
        """Our router-LSA with instance SEQ, flooded if we are Full."""
        links = []
        if self.state == "Full":
            links.append((LINK_P2P, self.nbr, self.addr, self.a.cost))
        if self.a.n:
            links.append((LINK_P2P, self.grid.rid(0), 0xFFFF, self.a.cost))
        mask = (0xFFFFFFFF << (32 - self.plen)) & 0xFFFFFFFF
        links.append((LINK_STUB, self.addr & mask, mask, self.a.cost))
        me = router_lsa(self.rid, seq, links,
                        flags=0x02 if self.a.external else 0)
        self.my_seq = seq
        self.own[lsa_key(me)] = me
        if self.state == "Full":
            self.unacked[lsa_key(me)] = (me, time.monotonic())
            self.send_lsus([me])

    def prepare(self):
        seq = -0x7FFFFFFF + 1               # InitialSequenceNumber + 1
        # Only our own router-LSA is in the database exchange; the grid
        # joins what we answer requests from at 'go'.
        self.originate_self(seq)
        if self.a.external:
            rest = self.grid.router_lsas(seq, stubs=False) + \
                self.grid.external_lsas(seq)
        else:
            rest = self.grid.router_lsas(seq)
        self.flood = rest
        self.flood_pkts = self.lsu_packets(rest)

    def go(self):
        # Not in the exchange: these are new to the router under test.
        self.flooded = True
        now = time.monotonic()
        for x in self.flood:
            self.own[lsa_key(x)] = x
            self.unacked[lsa_key(x)] = (x, now)
        # Time of the first LSU: taken just before it is sent.
        first = time.monotonic()
        for i, body in enumerate(self.flood_pkts):
            self.send(LSU, body)
            if self.a.pace and i % self.a.pace == self.a.pace - 1:
                self.receive()
        last = time.monotonic()
        self.emit({"event": "flooded", "t_first": first, "t_last": last,
                   "lsas": len(self.flood), "packets": len(self.flood_pkts)})

    def retransmit(self):
        now = time.monotonic()
        due = [k for k, (x, t) in self.unacked.items()
               if now - t >= self.a.rxmt]
        if not due:
            return
        lsas = []
        for k in due:
            x = self.unacked[k][0]
            self.unacked[k] = (x, now)
            lsas.append(x)
        self.counts["retransmitted"] += len(lsas)
        self.send_lsus(lsas)

    def emit(self, obj):
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    def stats(self):
        return {"event": "stats", "state": self.state,
                "unacked": len(self.unacked),
                "rx": {str(k): v for k, v in self.counts["rx"].items()},
                "tx": {str(k): v for k, v in self.counts["tx"].items()},
                "bad": self.counts["bad"],
                "send_errors": self.counts["send_errors"],
                "retransmitted": self.counts["retransmitted"],
                "acks_received": self.counts["acks_received"],
                "acks_sent": self.counts["acks_sent"]}

    def run(self):
        t_prep = time.monotonic()
        self.prepare()
        self.emit({"event": "ready", "lsas": len(self.flood),
                   "packets": len(self.flood_pkts),
                   "encode_s": time.monotonic() - t_prep})
        self.send_hello()
        stdin = sys.stdin.fileno()
        os.set_blocking(stdin, False)
        buf = b""
        while True:
            now = time.monotonic()
            timeout = max(0.0, self.t_hello + self.a.hello - now)
            r, _, _ = select.select([self.sock, stdin], [], [],
                                    min(timeout, 0.5))
            if self.sock in r:
                self.receive()
            if stdin in r:
                chunk = os.read(stdin, 4096)
                if not chunk:
                    return
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    cmd = line.decode().strip()
                    if cmd == "go":
                        self.go()
                    elif cmd == "stats":
                        self.emit(self.stats())
                    elif cmd == "quit":
                        return
            now = time.monotonic()
            if now - self.t_hello >= self.a.hello:
                self.send_hello()
            # The master (or both, in ExStart) retransmits its last DBD.
            if (self.state == "ExStart" or
                    self.state == "Exchange" and self.master) and \
                    now - self.t_dbd >= min(self.a.rxmt, 1.0):
                self.send(DBD, self.last_dbd)
            if self.state == "Loading" and now - self.lsr_sent_at >= \
                    self.a.rxmt:
                self.send_lsr()
            if self.unacked:
                self.retransmit()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--ifname", default="eth1")
    p.add_argument("--address", required=True, help="A.B.C.D/LEN on IFNAME")
    p.add_argument("--router-id", required=True)
    p.add_argument("--n", type=int, default=1000, help="grid routers")
    p.add_argument("--rid-base", default="172.16.0.0",
                   help="grid router k has router ID base + k + 1")
    p.add_argument("--prefix", default="100.64.0.0/32",
                   help="router k's stub network is PREFIX + k")
    p.add_argument("--cost", type=int, default=10)
    p.add_argument("--external", action="store_true",
                   help="the prefixes as type-5 LSAs of the injector")
    p.add_argument("--hello", type=int, default=1)
    p.add_argument("--dead", type=int, default=4)
    p.add_argument("--rxmt", type=float, default=5.0,
                   help="retransmission interval, seconds (default 5)")
    p.add_argument("--mtu", type=int, default=1500)
    p.add_argument("--pace", type=int, default=0,
                   help="read incoming packets every PACE LSUs of the flood")
    a = p.parse_args()
    try:
        Injector(a).run()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
