"""Worker processes that recognise entities for the main process (``python -m babelwire.nlp.ner_worker``).

A large batch of one language is cut in parts; the main process recognises one part while each
worker recognises another (:func:`babelwire.nlp.recognizers.recognize`). A worker is a plain
``python -m`` child that talks over its standard input and output: it does not re-import the
caller's main module (as ``multiprocessing`` with spawn does, which would rerun an unguarded
script), and it does not fork a process that may already run OpenMP threads (the encoder),
which can hang. Messages are 8-byte big-endian lengths followed by a pickle; the worker loads
the models on first use and exits when its input closes.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Sequence
from typing import IO, Any

_HEADER = struct.Struct(">Q")

#: a worker's matrix products use one thread: the processes already share the cores, and two
#: BLAS threads per process on two cores halve the throughput of the Swedish tagger
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class WorkerError(RuntimeError):
    """A worker process failed, died or answered with something unreadable."""


def _send(stream: IO[bytes], payload: object) -> None:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


class WorkerProcess:
    """One worker: send a batch with :meth:`start`, collect the spans with :meth:`result`."""

    def __init__(self) -> None:
        self.env = {**os.environ, **ONE_THREAD}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "babelwire.nlp.ner_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=self.env,
        )
        self.busy = False

    def alive(self) -> bool:
        return self.process.poll() is None

    def start(self, texts: Sequence[str], lang: str | None) -> None:
        """Hand the worker a batch; it works on it while the caller does something else."""
        assert self.process.stdin is not None
        try:
            _send(self.process.stdin, (list(texts), lang))
        except (BrokenPipeError, OSError) as exc:
            raise WorkerError(f"entity worker {self.process.pid} is gone ({exc})") from exc
        self.busy = True

    def result(self) -> Any:
        """The worker's answer to the batch given to :meth:`start`."""
        assert self.process.stdout is not None
        self.busy = False
        try:
            status, value = _receive(self.process.stdout)
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            raise WorkerError(
                f"entity worker {self.process.pid} stopped answering (exit {self.process.poll()})"
            ) from exc
        if status != "ok":
            raise WorkerError(f"entity worker {self.process.pid} failed: {value}")
        return value

    def close(self) -> None:
        """Close its input (it exits) and reap it."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


_WORKERS: list[WorkerProcess] = []


def workers(count: int) -> list[WorkerProcess]:
    """``count`` live, idle workers, started on first use and kept for later batches."""
    for worker in [w for w in _WORKERS if not w.alive() or w.busy]:
        _WORKERS.remove(worker)
        worker.close()
    while len(_WORKERS) < count:
        _WORKERS.append(WorkerProcess())
    return _WORKERS[:count]


def discard(worker: WorkerProcess) -> None:
    """Stop a worker that failed; the next batch starts a fresh one."""
    if worker in _WORKERS:
        _WORKERS.remove(worker)
    worker.close()


@atexit.register
def close_all() -> None:
    """Stop every worker (at exit)."""
    while _WORKERS:
        _WORKERS.pop().close()


def main() -> int:
    """Serve batches from standard input until it closes."""
    from babelwire.nlp.recognizers import recognize_here

    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the answer stream
    while True:
        try:
            texts, lang = _receive(source)
        except EOFError:
            return 0
        try:
            answer: tuple[str, object] = ("ok", recognize_here(texts, lang))
        except Exception as exc:  # reported to the parent, which does this part itself
            answer = ("error", f"{type(exc).__name__}: {exc}")
        _send(sink, answer)


if __name__ == "__main__":
    sys.exit(main())
