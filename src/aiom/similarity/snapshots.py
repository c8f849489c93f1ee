"""The persisted similarity index: built by a task worker, read by web workers.

`publish(idx)` (the task worker, `tasks.rebuild_index`) writes a SimilaritySnapshot:

- per use case its nearest use cases (SimilarNeighbour rows: raw text score, calibrated
  strength, shared words), from the shared pairs (`clusters.raw_pairs`: the shared
  partition only) and the confidential pairs (`clusters.confidential_pairs`). A use case
  keeps its POOL best SHARED neighbours and EVERY confidential one, so that a use case a
  viewer may not see never takes the place of one they may (up to CONFIDENTIAL_POOL
  confidential ones: see there); visibility is applied when
  the rows are read (`search.similar_to`). Between two confidential use cases only a
  pair with a strength above 0 (above the typical best match) is kept: the uncapped
  confidential pairs grow with the square of their number (8,000 confidential use cases
  of the generated 100k portfolio gave millions), and a rule about the pair alone moves
  nothing a viewer who may not see one of its ends observes. The use-case page reads a
  few indexed rows and never the index.
- the fitted index itself, pickled, compressed and cut into chunks (SimilarityChunk),
  with the portfolio-wide pairs and their calibration already computed in its cache, for
  what needs the index: draft search (`search.similar`) and the silo page. A web worker
  loads it when first needed (`load_index`, keyed by snapshot id) and never builds it.

The rows are written while the snapshot is BUILDING (readers ignore it, and writers are
not held for the whole write: batches); then ONE short transaction makes it READY and the
previous one SUPERSEDED, so a reader sees one whole snapshot or the one before; the
superseded rows are deleted after. The blob is pickle: it is written only by this
module, from the database this process trusts with everything else.
"""

import operator
import pickle
import time
import zlib
from collections.abc import Iterable, Iterator
from itertools import islice, repeat
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aiom.similarity import clusters
from aiom.similarity import index as similarity_index
from aiom.similarity.methods import TfidfCosine
from aiom.similarity.models import (
    SimilarityChunk,
    SimilaritySnapshot,
    SimilarNeighbour,
    SnapshotStatus,
)

POOL = 40  # shared neighbours kept per use case (search.POOL)
# confidential neighbours kept per use case: a bound on rows (8,000 confidential use cases
# of the generated 100k portfolio had about 2,000 confidential neighbours each above the
# typical best match). A residual channel: beyond this many, a confidential neighbour a
# viewer may not see can take the place of one they may (docs/silo-detection.md).
CONFIDENTIAL_POOL = clusters.CONFIDENTIAL_NEIGHBOURS
TERMS_SHOWN = 5  # a use case's best shared neighbours whose shared words are stored
# (and every confidential one's: a confidential neighbour a viewer may not see must not
# take the place of one they may)
CHUNK_BYTES = 8 * 1024 * 1024
BATCH = 5_000
SEPARATOR = "\x1f"

Row = tuple[int, int, float, float, tuple[str, ...]]  # use case, other, raw, strength, terms


def signature_text(sig: tuple[Any, ...]) -> str:
    """The portfolio signature (`index.signature`) as stored and compared."""
    return "|".join("" if part is None else str(part) for part in sig)


def latest() -> SimilaritySnapshot | None:
    """The snapshot pages read: the newest READY one (one indexed query)."""
    return SimilaritySnapshot.objects.filter(status=SnapshotStatus.READY).order_by("-id").first()


# --- writing (the task worker) ---------------------------------------------------------


def _raw_score(idx: similarity_index.Index, a: int, b: int) -> float:
    """The raw cosine of two use cases as the pairs score them (stored vectors, the better
    end's short-document boost); 0 for a method without stored vectors."""
    method, extra = idx.method, idx.confidential
    if not isinstance(method, TfidfCosine):
        return 0.0
    where: dict[int, tuple[bool, int]] | None = idx.cache.get("where")
    if where is None:
        where = {pk: (False, i) for i, pk in enumerate(extra.ids)}
        where.update({pk: (True, i) for i, pk in enumerate(method.ids)})
        idx.cache["where"] = where

    def vector(pk: int) -> tuple[dict[str, float], float]:
        shared, i = where[pk]
        if shared:
            tids, weights = method.vectors[i]
            names = method.term_names
            return {names[t]: w for t, w in zip(tids, weights, strict=True)}, method.boost[i]
        terms, weights = extra.vectors[i]
        return dict(zip(terms, weights, strict=True)), extra.boost[i]

    (va, lift_a), (vb, lift_b) = vector(a), vector(b)
    if len(vb) < len(va):
        va, vb = vb, va
    dot: float = sum(map(operator.mul, va.values(), map(vb.get, va, repeat(0.0))))
    return dot * max(lift_a, lift_b)


def neighbour_rows(idx: similarity_index.Index) -> Iterator[Row]:
    """Every use case's neighbours: its POOL best shared ones and all confidential ones,
    best first; the shared words of its TERMS_SHOWN best shared ones and of every
    confidential one."""
    lists: dict[int, list[tuple[float, float, int, bool]]] = {}
    for a, b, raw, _ in clusters.raw_pairs(idx):
        strength = clusters.strength(idx, a, b, raw)
        lists.setdefault(a, []).append((raw, strength, b, False))
        lists.setdefault(b, []).append((raw, strength, a, False))
    secret = idx.confidential_ids
    for a, b, strength, _ in clusters.confidential_pairs(idx):
        if a in secret and b in secret and strength <= 0.0:
            continue  # no stronger than a typical best match (a per-pair rule, not a cut-off)
        raw = _raw_score(idx, a, b)
        lists.setdefault(a, []).append((raw, strength, b, b in secret))
        lists.setdefault(b, []).append((raw, strength, a, a in secret))
    explain = idx.method.explain
    for pk in sorted(lists):
        found = sorted(lists[pk], key=lambda n: (-n[0], n[2]))
        shared = [n for n in found if not n[3]][:POOL]
        secret_ones = [n for n in found if n[3]][:CONFIDENTIAL_POOL]
        kept = sorted(shared + secret_ones, key=lambda n: (-n[0], n[2]))
        mine = idx.stripped_text(pk)
        shown = {n[2] for n in shared[:TERMS_SHOWN]}
        for raw, strength, other, secret_other in kept:
            wanted = secret_other or other in shown  # no hidden one takes a shown place
            terms = explain(mine, idx.stripped_text(other)) if wanted else ()
            yield pk, other, raw, strength, terms


def _chunks(blob: bytes) -> Iterator[bytes]:
    for start in range(0, len(blob), CHUNK_BYTES):
        yield blob[start : start + CHUNK_BYTES]


def serialise(idx: similarity_index.Index) -> bytes:
    """The index with its portfolio-wide pairs and calibration (computed here, so that no
    web worker computes them), without what only the build needed."""
    clusters.all_pairs(idx)
    clusters.confidential_pairs(idx)
    clusters.calibration(idx)
    clusters.languages(idx)
    keep = {k: v for k, v in idx.cache.items() if k not in ("where", "terms", "positions")}
    state = similarity_index.Index(
        idx.signature, idx.method, idx.confidential, idx.entries, idx.texts, keep
    )
    return zlib.compress(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _batched[T](items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def publish(idx: similarity_index.Index, seconds: float) -> SimilaritySnapshot:
    """Persist `idx` as the snapshot pages read (see the module's docstring)."""
    started = time.monotonic()
    snap = SimilaritySnapshot.objects.create(
        signature=signature_text(idx.signature),
        built_at=timezone.now(),
        documents=len(idx.entries),
        confidential=len(idx.confidential.ids),
    )
    try:
        blob = serialise(idx)
        for seq, piece in enumerate(_chunks(blob)):
            SimilarityChunk.objects.create(snapshot=snap, seq=seq, data=piece)
        count = 0
        for batch in _batched(neighbour_rows(idx), BATCH):
            with transaction.atomic():
                SimilarNeighbour.objects.bulk_create(
                    SimilarNeighbour(
                        snapshot=snap,
                        use_case_id=pk,
                        other_id=other,
                        text_score=raw,
                        strength=strength,
                        terms=SEPARATOR.join(terms)[:500],
                    )
                    for pk, other, raw, strength, terms in batch
                )
            count += len(batch)
    except BaseException:
        discard(snap.pk)
        raise
    with transaction.atomic():
        # every older one, an abandoned build too (a worker stopped mid-way); a newer one
        # (a build that started later) is left alone and supersedes this one when done
        earlier = SimilaritySnapshot.objects.filter(pk__lt=snap.pk)
        older = list(earlier.values_list("pk", flat=True))
        SimilaritySnapshot.objects.filter(pk__in=older).update(status=SnapshotStatus.SUPERSEDED)
        SimilaritySnapshot.objects.filter(pk=snap.pk).update(
            status=SnapshotStatus.READY,
            build_seconds=round(seconds + time.monotonic() - started, 3),
            neighbours=count,
            pairs=len(clusters.all_pairs(idx)) + len(clusters.confidential_pairs(idx)),
            index_bytes=len(blob),
        )
    for pk in older:
        discard(pk)
    snap.refresh_from_db()
    return snap


def discard(pk: int) -> None:
    """Delete a snapshot and its rows, in batches (a writer waits for one batch at most)."""
    while True:
        ids = list(
            SimilarNeighbour.objects.filter(snapshot_id=pk).values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            break
        SimilarNeighbour.objects.filter(pk__in=ids).delete()
    SimilarityChunk.objects.filter(snapshot_id=pk).delete()
    SimilaritySnapshot.objects.filter(pk=pk).delete()


def rebuild() -> SimilaritySnapshot:
    """Build the index for the portfolio as it is now and publish it (the task's body)."""
    started = time.monotonic()
    built = similarity_index.build(similarity_index.signature())
    return publish(built, time.monotonic() - started)


# --- reading (web workers) -------------------------------------------------------------


def ready() -> SimilaritySnapshot | None:
    """The snapshot to answer from. With AIOM_SIMILARITY_SYNC_REBUILD (tests) a stale or
    missing one is rebuilt first, in this process, so a test reads its own writes."""
    found = latest()
    if settings.AIOM_SIMILARITY_SYNC_REBUILD:
        sig = signature_text(similarity_index.signature())
        if found is None or found.signature != sig:
            found = rebuild()
    return found


def load_index(snap: SimilaritySnapshot) -> similarity_index.Index:
    """The fitted index of `snap`, as the task worker built it."""
    pieces = SimilarityChunk.objects.filter(snapshot=snap).order_by("seq")
    blob = b"".join(bytes(p) for p in pieces.values_list("data", flat=True).iterator())
    found: similarity_index.Index = pickle.loads(zlib.decompress(blob))  # noqa: S301
    return found


def neighbours(snap: SimilaritySnapshot, use_case_id: int) -> list[Row]:
    """`use_case_id`'s stored neighbours in `snap`, best first (one indexed query; the
    caller applies visibility)."""
    rows = SimilarNeighbour.objects.filter(snapshot=snap, use_case_id=use_case_id).values_list(
        "other_id", "text_score", "strength", "terms"
    )
    found = [
        (use_case_id, other, raw, strength, tuple(t for t in terms.split(SEPARATOR) if t))
        for other, raw, strength, terms in rows
    ]
    found.sort(key=lambda r: (-r[2], r[1]))
    return found
