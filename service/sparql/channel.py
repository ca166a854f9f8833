"""A message channel over two OS pipes: length-prefixed pickles, with a timed poll.

The query workers are plain subprocesses of ``python -m service.sparql.workers`` (no
multiprocessing start-method surprises, no re-import of the server's main module); this is the
whole of their wire protocol. Both ends are our own code, so pickle is safe here.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
from typing import Any

_HEADER = struct.Struct(">Q")


class Channel:
    def __init__(self, read_fd: int, write_fd: int):
        self.read_fd = read_fd
        self.write_fd = write_fd

    def send(self, message: Any) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(_HEADER.pack(len(data)) + data)
        while view:
            written = os.write(self.write_fd, view)
            view = view[written:]

    def poll(self, timeout_s: float) -> bool:
        """True when a message (or end of file) is ready to read within ``timeout_s``."""
        ready, _, _ = select.select([self.read_fd], [], [], max(timeout_s, 0))
        return bool(ready)

    def recv(self) -> Any:
        size = _HEADER.unpack(self._read(_HEADER.size))[0]
        return pickle.loads(self._read(size))

    def _read(self, size: int) -> bytes:
        chunks, remaining = [], size
        while remaining:
            chunk = os.read(self.read_fd, min(remaining, 1 << 20))
            if not chunk:
                raise EOFError("the other end closed the channel")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        for fd in (self.read_fd, self.write_fd):
            try:
                os.close(fd)
            except OSError:
                pass
