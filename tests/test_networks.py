import ipaddress

import pytest
from cadre_archive_lib.errors import ArchiveLibError
from cadre_archive_lib.networks import (
    NetworkError,
    address_in,
    client_address,
    parse_network,
    parse_networks,
)

N = ipaddress.ip_network


def test_network_error_is_a_library_error():
    assert issubclass(NetworkError, ArchiveLibError)


# ------------------------------------------------------------ parse_networks


def test_the_example_of_the_settings():
    assert parse_networks("10.1.2.0/24, 192.168.5.17") == (
        N("10.1.2.0/24"),
        N("192.168.5.17/32"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "10.1.2.0/24,192.168.5.17",
        "10.1.2.0/24;192.168.5.17",
        "10.1.2.0/24\n192.168.5.17\n",
        "  10.1.2.0/24 \t 192.168.5.17  ",
        "10.1.2.0/24，192.168.5.17",
        "10.1.2.0/24,, ,192.168.5.17,",
    ],
)
def test_separators(text):
    assert parse_networks(text) == (N("10.1.2.0/24"), N("192.168.5.17/32"))


@pytest.mark.parametrize("text", [None, False, "", "   ", "\n", ", ;"])
def test_nothing_set_is_no_workstation(text):
    assert parse_networks(text) == ()


def test_repeats_are_dropped_and_order_kept():
    assert parse_networks("192.168.5.17, 10.0.0.0/8, 192.168.5.17/32") == (
        N("192.168.5.17/32"),
        N("10.0.0.0/8"),
    )


def test_ipv6_and_netmask_forms():
    assert parse_networks("2001:db8::/32 fe80::1 10.1.2.0/255.255.255.0") == (
        N("2001:db8::/32"),
        N("fe80::1/128"),
        N("10.1.2.0/24"),
    )


@pytest.mark.parametrize(
    "entry",
    ["10.1.2", "10.1.2.300", "10.1.2.0/33", "workstation-1", "10.1.2.0/", "/24"],
)
def test_not_a_range(entry):
    with pytest.raises(NetworkError) as info:
        parse_networks(f"192.168.5.17, {entry}")
    assert info.value.code == "bad_network"
    assert info.value.params == {"entry": entry}


def test_host_bits_set_suggests_the_range():
    with pytest.raises(NetworkError) as info:
        parse_networks("10.1.2.5/24")
    assert info.value.code == "network_host_bits"
    assert info.value.params == {"entry": "10.1.2.5/24", "network": "10.1.2.0/24"}


def test_leading_zeros_are_refused():
    # 010.1.2.3 reads as octal in some tools: never guess
    with pytest.raises(NetworkError) as info:
        parse_network("010.1.2.3")
    assert info.value.code == "bad_network"


@pytest.mark.parametrize("entry", [None, "", 167837696])
def test_parse_network_wants_text(entry):
    with pytest.raises(NetworkError) as info:
        parse_network(entry)
    assert info.value.code == "bad_network"


def test_parse_networks_wants_text():
    with pytest.raises(NetworkError) as info:
        parse_networks(["10.0.0.0/8"])
    assert info.value.code == "bad_network"


# ------------------------------------------------------------ address_in

ROOM = parse_networks("10.1.2.0/24, 192.168.5.17, 2001:db8:5::/48")


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.0",
        "10.1.2.1",
        "10.1.2.255",
        "192.168.5.17",
        "::ffff:10.1.2.9",
        "::ffff:192.168.5.17",
        "2001:db8:5::1",
        " 10.1.2.7 ",
    ],
)
def test_inside(address):
    assert address_in(address, ROOM)


@pytest.mark.parametrize(
    "address",
    [
        "10.1.3.0",
        "10.1.1.255",
        "192.168.5.16",
        "192.168.5.18",
        "127.0.0.1",
        "::1",
        "2001:db8:6::1",
        "::ffff:10.1.3.1",
        # 10.1.2.1 written as an IPv6 address that is not a mapped IPv4
        "::a01:201",
    ],
)
def test_outside(address):
    assert not address_in(address, ROOM)


@pytest.mark.parametrize(
    "address", [None, False, "", "unknown", "10.1.2", "10.1.2.1:8069", b"10.1.2.1"]
)
def test_an_unknown_client_is_never_inside(address):
    assert not address_in(address, ROOM)
    assert not address_in(address, parse_networks("0.0.0.0/0, ::/0"))


def test_no_workstation_admits_nobody():
    assert not address_in("10.1.2.1", ())


def test_client_address_reads_mapped_ipv4_as_ipv4():
    assert client_address("::ffff:10.1.2.9") == ipaddress.ip_address("10.1.2.9")
    assert client_address("2001:db8::1") == ipaddress.ip_address("2001:db8::1")
    assert client_address("nonsense") is None
