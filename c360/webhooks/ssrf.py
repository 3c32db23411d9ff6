"""Which URLs we call: https only, never a host on loopback, private, link-local or metadata addresses.

Checked when an endpoint is created or its URL changed (resolving the host, here) and again at every
delivery, on the addresses the sender actually connects to (``refusal`` is the one rule, see
c360.webhooks.sender). C360_WEBHOOK_ALLOW_PRIVATE_URLS lifts all of it for development and tests.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from c360.webhooks.errors import InvalidEndpointUrl

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PORT = r"[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]"
# What the contract documents (openapi.yaml): a host name or IPv4 address, a port, a printable ASCII path.
URL_PATTERN = rf'^https?://(?:{_LABEL})(?:\.{_LABEL})*(?::(?:{_PORT}))?(?:/[!"$-~]*)?$'
_URL = re.compile(URL_PATTERN)
MAX_URL = 2048
# Names that reach the local machine or a cloud metadata service whatever they resolve to
_BLOCKED_NAMES = re.compile(r"^(localhost|metadata|metadata\.google\.internal|instance-data)$|\.localhost$", re.I)


@dataclass(frozen=True)
class Target:
    """A checked URL: its scheme, host and port."""

    url: str
    scheme: str
    host: str
    port: int


def parse(url: str) -> Target:
    """The URL's parts; InvalidEndpointUrl with the precise reason when it is not one we can call."""
    if len(url) > MAX_URL:
        raise InvalidEndpointUrl(f"the URL is longer than {MAX_URL} characters")
    try:
        parts = urlsplit(url)
    except ValueError:  # urlsplit's only complaint: an unbalanced [ or ] in the authority
        raise InvalidEndpointUrl("IPv6 literals are not accepted in endpoint URLs; use a host name") from None
    if not parts.scheme or not url[len(parts.scheme) + 1 :].startswith("//"):
        raise InvalidEndpointUrl("the URL must be absolute: https://host[:port][/path]")
    if parts.scheme not in ("https", "http"):
        raise InvalidEndpointUrl(f"the URL scheme must be https, not {parts.scheme}")
    if "@" in parts.netloc:
        raise InvalidEndpointUrl("the URL must not carry credentials (user:password@); receivers verify signatures")
    if "#" in url:  # the authority stops at the first #, so any # is the fragment's
        raise InvalidEndpointUrl("the URL must not have a #fragment")
    if not parts.path and "?" in url:
        raise InvalidEndpointUrl("the path of the URL must start with / (https://host/path?query)")
    if parts.netloc.startswith("["):
        raise InvalidEndpointUrl("IPv6 literals are not accepted in endpoint URLs; use a host name")
    if not _URL.fullmatch(url):  # fullmatch: "$" alone would also match before a final "\n"
        raise InvalidEndpointUrl(
            "the URL is not valid: expected https://host[:port][/path] with a DNS host name or IPv4 address, "
            "a port from 1 to 65535 and a printable ASCII path (percent-encode anything else)"
        )
    # the pattern has checked every part: a host name or IPv4 address, and a port in range
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return Target(url, parts.scheme, parts.hostname or "", port)


def check_url(url: str, *, allow_private: bool) -> Target:
    """``parse``, then (unless ``allow_private``) https and every address the host resolves to."""
    target = parse(url)
    if allow_private:
        return target
    if target.scheme != "https":
        raise InvalidEndpointUrl("the URL must use https (http is accepted only with C360_WEBHOOK_ALLOW_PRIVATE_URLS)")
    check_host(target.host, target.port)
    return target


def check_host(host: str, port: int) -> None:
    """Resolve ``host``; InvalidEndpointUrl unless it resolves, and only to addresses we may call."""
    if _BLOCKED_NAMES.search(host):
        raise InvalidEndpointUrl(f"the host {host} is a local or metadata name; it is not called")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise InvalidEndpointUrl(f"the host {host} does not resolve") from None
    for info in infos:
        reason = refusal(str(info[4][0]))
        if reason:
            raise InvalidEndpointUrl(f"the host {host} resolves to {info[4][0]}, {reason}; it is not called")


def refusal(address: str) -> str | None:
    """Why we do not call ``address`` (None: we may): anything but a public unicast address is refused."""
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            ip = embedded
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address (cloud metadata services live there)"
    if ip.is_private:
        return "a private address"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved or not ip.is_global:
        return "not a public unicast address (shared, reserved or special-purpose)"
    return None


def literal_refusal(host: str) -> str | None:
    """For a host that is an IP literal (which HTTP clients connect to without resolving): ``refusal``."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return "a local or metadata name" if _BLOCKED_NAMES.search(host) else None
    return refusal(host)
