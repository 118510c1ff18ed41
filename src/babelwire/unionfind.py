"""A small union-find over hashable items, shared by entity linking and conflict grouping."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    """Disjoint groups of items; an item seen for the first time is a group of its own."""

    def __init__(self) -> None:
        self.parent: dict[T, T] = {}

    def find(self, x: T) -> T:
        """The root of ``x``'s group (paths halved on the way)."""
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: T, b: T) -> None:
        """Put ``b``'s group into ``a``'s: ``a``'s root stays the root."""
        self.parent[self.find(b)] = self.find(a)
