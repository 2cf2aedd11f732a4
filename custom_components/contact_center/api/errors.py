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


class ContactCenterServerError(ContactCenterConnectionError):
    """The server was reached but answered with a server error (HTTP 5xx, or 429 without a hint).

    Still a connection error for retrying; its own type so that messages do not say "cannot reach".
    """


class ContactCenterResponseError(ContactCenterError):
    """The server answered, but with something the client cannot read."""


class ContactCenterUnidentifiedError(ContactCenterError):
    """The answer carries nothing that tells this account apart from others on its server."""


class ContactCenterTargetError(ContactCenterResponseError):
    """The server refused a target the settings name (an unknown expert, say).

    ``field`` is the settings field that names it and ``target`` the refused value, so a form can
    show the error next to what the user typed.
    """

    def __init__(self, message: str, *, field: str, target: str) -> None:
        """Keep the field and the target next to the message."""
        super().__init__(message)
        self.field = field
        self.target = target


class ContactCenterRateLimitError(ContactCenterError):
    """The vendor asks us to slow down; ``retry_after`` is a hint in seconds when known."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        """Keep the hint next to the message."""
        super().__init__(message)
        self.retry_after = retry_after


class ContactCenterMissingScopeError(ContactCenterAuthError):
    """The credentials are valid but lack a permission (an OAuth scope) the integration needs."""
