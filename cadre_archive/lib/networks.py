"""The reading room's workstations, named by their network addresses.

A reading-room request (阅档室查阅) opens its materials only on the
workstations of the archive's reading room. The archive names them as a text
of addresses and CIDR ranges, such as ``"10.1.2.0/24, 192.168.5.17"``
(commas, semicolons, spaces or new lines between them); a single address is
a range of one. The addresses of the clients are compared with those ranges.

Nothing here knows where an address comes from: the Odoo layer passes the
address of the HTTP client, or nothing when there is none (a script, a job),
and nothing never matches.
"""

import ipaddress
import re

from .errors import ArchiveLibError

_SEPARATORS = re.compile(r"[\s,;，；]+")


class NetworkError(ArchiveLibError):
    """An address range of the reading room is not one."""


def parse_network(entry: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """Return the range ``entry`` names: an address, or an address/prefix.

    Raise NetworkError('bad_network', entry=) when it is neither, and
    NetworkError('network_host_bits', entry=, network=) when the prefix
    leaves host bits set (``10.1.2.5/24``: did it mean ``10.1.2.0/24`` or the
    single address ``10.1.2.5``?).
    """
    if not isinstance(entry, str) or not entry:
        raise NetworkError("bad_network", entry=entry)
    try:
        return ipaddress.ip_network(entry, strict=True)
    except ValueError as exc:
        try:
            loose = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise NetworkError("bad_network", entry=entry) from exc
        raise NetworkError(
            "network_host_bits", entry=entry, network=str(loose)
        ) from exc


def parse_networks(
    text: str | None,
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Return the ranges of ``text``, in order, without repeats.

    Not set (None, False, blank) is no range at all: no workstation. Raise
    NetworkError for the first entry that is not a range (see
    ``parse_network``).
    """
    if text is None or text is False:
        return ()
    if not isinstance(text, str):
        raise NetworkError("bad_network", entry=text)
    networks = []
    for entry in _SEPARATORS.split(text.strip()):
        if not entry:
            continue
        network = parse_network(entry)
        if network not in networks:
            networks.append(network)
    return tuple(networks)


def client_address(
    address: str | None,
) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Return ``address`` as an IP address, or None when it is none.

    An IPv4 address written as IPv6 (``::ffff:10.1.2.3``, as a dual-stack
    server reports it) is read as the IPv4 address it carries.
    """
    if not isinstance(address, str) or not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def address_in(address: str | None, networks) -> bool:
    """Return whether ``address`` lies in one of ``networks``.

    An address that is missing or unreadable lies in none: the reading room
    stays closed when the client is unknown.
    """
    ip = client_address(address)
    if ip is None:
        return False
    return any(ip in network for network in networks)
