"""A small least-recently-used cache bounded in bytes, for decoded images.

The viewer serves the same pages again and again (a reader turns pages back
and forth, twenty readers read the same dossier): decoding a scan and
scaling it down costs far more than watermarking and encoding it. Each Odoo
worker process keeps its own cache (no memory is shared between workers);
the bound keeps it from growing with the archive. Only pure values go in:
Pillow images that the callers never change in place, and their keys.
"""

import hashlib
import threading
from collections import OrderedDict


class ByteLRU:
    """A mapping of at most ``max_bytes`` bytes of values, the least recently
    used dropped first; ``sizeof(value)`` says what a value weighs.

    A value heavier than the whole bound is never kept. Safe to share between
    the threads of one process (Odoo's threaded server).
    """

    def __init__(self, max_bytes: int, sizeof):
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int):
            raise TypeError("max_bytes must be an int")
        if max_bytes < 0:
            raise ValueError("max_bytes must be >= 0")
        self.max_bytes = max_bytes
        self._sizeof = sizeof
        self._items = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def size(self) -> int:
        """Bytes held now."""
        return self._bytes

    def get(self, key, default=None):
        with self._lock:
            try:
                value, _weight = self._items[key]
            except KeyError:
                self.misses += 1
                return default
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key, value) -> None:
        weight = self._sizeof(value)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            if weight > self.max_bytes:
                return
            self._items[key] = (value, weight)
            self._bytes += weight
            while self._bytes > self.max_bytes:
                _key, (_value, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def get_or_make(self, key, make):
        """Return the value of ``key``, made by ``make()`` and kept if absent."""
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


def image_bytes(img) -> int:
    """The memory a Pillow image's pixels take (width x height x bands)."""
    return img.width * img.height * len(img.getbands())


def digest(data: bytes) -> str:
    """A key for the content of ``data`` (BLAKE2b, 128 bits)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
