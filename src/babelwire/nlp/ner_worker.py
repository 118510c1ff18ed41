"""Worker processes that recognise entities for the main process (``python -m babelwire.nlp.ner_worker``).

A large batch of one language is shared (:func:`share`): workers take pieces from its front
while the main process recognises smaller pieces from its back, and hands a worker its next
piece as soon as it answers, so the processes finish together whatever each one's speed. A worker
is a plain ``python -m`` child that talks over its standard input and output: it does not
re-import the caller's main module (as ``multiprocessing`` with spawn does, which would rerun an
unguarded script), and it does not fork a process that may already run OpenMP threads (the
encoder), which can hang. Messages are 8-byte big-endian lengths followed by a pickle; the worker
reads and writes them in threads, so it always holds its next piece and never waits for the main
process to read an answer larger than the pipe; it loads the models on first use and exits when
its input closes.
"""

from __future__ import annotations

import atexit
import bisect
import contextlib
import itertools
import logging
import os
import pickle
import queue
import select
import struct
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

LOG = logging.getLogger(__name__)
_HEADER = struct.Struct(">Q")
#: pieces a worker holds at a time: one it works on and the next, so it never waits for the main
#: process to notice an answer
QUEUED = 2

#: a worker's matrix products use one thread: the processes already share the cores, and two
#: BLAS threads per process on two cores halve the throughput of the Swedish tagger
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class WorkerError(RuntimeError):
    """A worker process failed, died or answered with something unreadable."""


def _send(stream: IO[bytes], payload: object) -> None:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:  # an unbuffered pipe may take part of it
        view = view[stream.write(view) or 0 :]
    stream.flush()


def _read(stream: IO[bytes], size: int) -> bytes:
    parts, left = [], size
    while left:
        part = stream.read(left)
        if not part:
            raise EOFError
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _receive(stream: IO[bytes]) -> Any:
    (size,) = _HEADER.unpack(_read(stream, _HEADER.size))
    return pickle.loads(_read(stream, size))


class WorkerProcess:
    """One worker: send a batch with :meth:`start`, collect the spans with :meth:`result`."""

    def __init__(self) -> None:
        self.env = {**os.environ, **ONE_THREAD}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "babelwire.nlp.ner_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=self.env,
            bufsize=0,  # no read-ahead: :meth:`ready` asks the pipe itself
        )
        self.pending = 0  # batches started and not yet answered

    @property
    def busy(self) -> bool:
        return self.pending > 0

    def alive(self) -> bool:
        return self.process.poll() is None

    def start(self, texts: Sequence[str], lang: str | None) -> None:
        """Hand the worker a batch; it works on it while the caller does something else.

        A worker holds any number of batches and answers them in order.
        """
        assert self.process.stdin is not None
        try:
            _send(self.process.stdin, (list(texts), lang))
        except (BrokenPipeError, OSError) as exc:
            raise WorkerError(f"entity worker {self.process.pid} is gone ({exc})") from exc
        self.pending += 1

    def ready(self) -> bool:
        """True when an answer (or the end of the stream) can be read without waiting."""
        assert self.process.stdout is not None
        try:
            return bool(select.select([self.process.stdout], [], [], 0)[0])
        except (OSError, ValueError):  # no select on pipes here: collect the answers at the end
            return False

    def result(self) -> Any:
        """The worker's answer to the oldest batch given to :meth:`start` and not yet answered."""
        assert self.process.stdout is not None
        self.pending -= 1
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
    if worker.busy and worker.alive():
        worker.process.kill()  # its answers are no longer wanted
    worker.close()


Spans = list[Any]
Recognise = Callable[[Sequence[str], "str | None"], list[Spans]]


def share(
    texts: Sequence[str], lang: str | None, here: Recognise, helpers: list[WorkerProcess]
) -> Iterator[tuple[int, Spans]]:
    """Recognise ``texts`` with ``here`` (this process) and the ``helpers``; yield ``(index, spans)``.

    Answers come in the order they are ready, so the caller can work on them (link them) while
    the workers go on. Each worker holds :data:`QUEUED` pieces from the front of the batch, each
    about an eighth (with two processes) of what is left, so the pieces shrink towards the end;
    this process takes pieces half that size from the back and looks for answers in between. A
    worker that fails is stopped and its pieces are recognised here. The spans do not depend on
    who recognised a text: every text is recognised on its own.
    """
    ends = [0, *itertools.accumulate(len(t) for t in texts)]
    front, back = 0, len(texts)
    pieces: dict[WorkerProcess, deque[tuple[int, int]]] = {w: deque() for w in helpers}

    def next_piece() -> tuple[int, int]:
        target = ends[front] + (ends[back] - ends[front]) / (4 * (len(pieces) + 1))
        stop = min(back, max(front + 1, bisect.bisect_left(ends, target, front + 1, back)))
        return front, stop

    def give_out() -> None:
        nonlocal front
        for worker, held in list(pieces.items()):
            while len(held) < QUEUED and front < back:
                start, stop = next_piece()
                try:
                    worker.start(texts[start:stop], lang)
                except WorkerError as exc:
                    fail(worker, exc)
                    break
                held.append((start, stop))
                front = stop

    failed: list[tuple[int, int]] = []

    def fail(worker: WorkerProcess, exc: WorkerError) -> None:
        LOG.warning("%s; recognising its texts here", exc)
        failed.extend(pieces.pop(worker))
        discard(worker)

    def answers(worker: WorkerProcess) -> Iterator[tuple[int, Spans]]:
        start, stop = pieces[worker][0]
        try:
            spans = worker.result()
        except WorkerError as exc:
            fail(worker, exc)
            return
        pieces[worker].popleft()
        yield from zip(range(start, stop), spans, strict=True)

    try:
        give_out()
        while front < back or failed:
            for start, stop in failed:
                yield from zip(range(start, stop), here(texts[start:stop], lang), strict=True)
            failed.clear()
            for worker in [w for w, held in pieces.items() if held and w.ready()]:
                yield from answers(worker)
            give_out()
            if front < back:
                # half a worker's piece: small enough to look for answers often, large enough for
                # a recogniser that batches sentences across texts (the Swedish tagger)
                target = ends[back] - (ends[back] - ends[front]) / (8 * (len(pieces) + 1))
                start = min(back - 1, max(front, bisect.bisect_right(ends, target, front, back) - 1))
                yield from zip(range(start, back), here(texts[start:back], lang), strict=True)
                back = start
        while any(pieces.values()) or failed:
            for worker in [w for w, held in pieces.items() if held]:
                yield from answers(worker)
            for start, stop in failed:
                yield from zip(range(start, stop), here(texts[start:stop], lang), strict=True)
            failed.clear()
    finally:
        for worker, held in pieces.items():
            if held:  # the caller stopped early: the answers would be out of step
                discard(worker)


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
    batches: queue.Queue[tuple[list[str], str | None] | None] = queue.Queue()

    def read() -> None:  # the next batch waits here while this one is recognised
        while True:
            try:
                batches.put(_receive(source))
            except (EOFError, OSError, pickle.UnpicklingError):
                batches.put(None)
                return

    answers: queue.Queue[tuple[str, object] | None] = queue.Queue()

    def write() -> None:  # a large answer fills the pipe until the parent reads it: wait here
        while (answer := answers.get()) is not None:
            _send(sink, answer)

    threading.Thread(target=read, daemon=True).start()
    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    while True:
        batch = batches.get()
        if batch is None:
            answers.put(None)
            writer.join()
            return 0
        texts, lang = batch
        try:
            answer: tuple[str, object] = ("ok", recognize_here(texts, lang))
        except Exception as exc:  # reported to the parent, which does this part itself
            answer = ("error", f"{type(exc).__name__}: {exc}")
        answers.put(answer)


if __name__ == "__main__":
    sys.exit(main())
