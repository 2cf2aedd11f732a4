"""A local stand-in for the contact-center APIs the integration reads.

Run ``python -m simulator`` to try the integration without a vendor account; the tests run the same
code in-process with ``Simulator`` and ``run_simulator``.
"""

from __future__ import annotations

from .core import RecordedRequest, Simulator
from .faults import Fault
from .server import run_simulator
from .vendor import VendorSimulator

__all__ = [
    "Fault",
    "RecordedRequest",
    "Simulator",
    "VendorSimulator",
    "run_simulator",
]
