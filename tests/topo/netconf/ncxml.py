"""What the NETCONF tests send: namespaces, <config> bodies, and the
session every test borrows (the candidate's changes discarded after)."""

NC = "urn:ietf:params:xml:ns:netconf:base:1.0"
IF_NS = "urn:waypoint:yang:waypoint-interface"
RT_NS = "urn:waypoint:yang:waypoint-routing"


def config(body):
    return '<config xmlns="%s" xmlns:nc="%s">%s</config>' % (NC, NC, body)


def iface(name, inner="", attr=""):
    return ('<interfaces xmlns="%s"><interface%s><name>%s</name>%s'
            '</interface></interfaces>' % (IF_NS, attr, name, inner))


def route(prefix, gateway, attr="", extra=""):
    """One IPv4 static route with one nexthop; EXTRA goes in the
    nexthop (``<onlink/>``)."""
    return ('<routing xmlns="%s"><static-routes><ipv4><route%s>'
            '<prefix>%s</prefix><path><distance>1</distance><nexthop>'
            '<gateway>%s</gateway><interface></interface>%s</nexthop>'
            '</path></route></ipv4></static-routes></routing>'
            % (RT_NS, attr, prefix, gateway, extra))


def session(server):
    """Body of an ``nc`` fixture: ``yield from session(server)``."""
    m = server.connect()
    try:
        yield m
    finally:
        if m.connected:
            m.discard_changes()
            m.close_session()
