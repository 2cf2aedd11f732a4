"""One module per simulated vendor API; every module here that defines ``SIMULATOR`` is served.

``SIMULATORS`` is found by listing this package when it is imported, so a new vendor is one new
module and the core names none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import importlib
import pkgutil
from types import MappingProxyType

from ..vendor import VendorSimulator


def discover_simulators(package: str, path: Iterable[str]) -> Mapping[str, type[VendorSimulator]]:
    """Import every module of ``package`` on ``path``; return their ``SIMULATOR`` classes by key.

    Sorted by ``VendorSimulator.position``, the order lists of vendors show them in.
    """
    found: list[type[VendorSimulator]] = []
    for module_info in pkgutil.iter_modules(path):
        module = importlib.import_module(f"{package}.{module_info.name}")
        value = getattr(module, "SIMULATOR", None)
        if isinstance(value, type) and issubclass(value, VendorSimulator):
            found.append(value)
    found.sort(key=lambda simulator: simulator.position)
    keys = [simulator.key for simulator in found]
    if len(set(keys)) != len(keys):
        raise ValueError(f"two modules of {package} share a vendor key: {keys}")
    return MappingProxyType(dict(zip(keys, found, strict=True)))


SIMULATORS: Mapping[str, type[VendorSimulator]] = discover_simulators(__name__, __path__)
