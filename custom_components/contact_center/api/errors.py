"""Errors raised by the contact-center clients.

Every message is safe to log and to show: clients never put a credential, a full request URL or a
response body in an error text.
"""

from __future__ import annotations

from typing import ClassVar


class ContactCenterError(Exception):
    """Base class of every error a client raises."""


class ContactCenterAuthError(ContactCenterError):
    """The credentials were refused (wrong, revoked or lacking a privilege)."""

    form_error: ClassVar[str] = "invalid_auth"
    """The config flow's error key; a subclass names a more helpful one."""


class ContactCenterConnectionError(ContactCenterError):
    """The server could not be reached, timed out or answered with a server error."""


class ContactCenterResponseError(ContactCenterError):
    """The server answered, but with something the client cannot read."""


class ContactCenterUnidentifiedError(ContactCenterError):
    """The answer carries nothing that tells this account apart from others on its server."""


class ContactCenterRateLimitError(ContactCenterError):
    """The vendor asks us to slow down; ``retry_after`` is a hint in seconds when known."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        """Keep the hint next to the message."""
        super().__init__(message)
        self.retry_after = retry_after


class ContactCenterMissingScopeError(ContactCenterAuthError):
    """The credentials are valid but lack a permission (an OAuth scope) the integration needs."""
